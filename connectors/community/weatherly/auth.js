'use strict';

module.exports = {

    type: 'apiKey',

    definition: {

        auth: {
            accountLabel: {
                type: 'text',
                name: 'Account label',
                tooltip: 'Any name that helps you recognise this key.'
            },
            apiKey: {
                type: 'password',
                name: 'API key',
                tooltip: 'Found on the Weatherly dashboard.'
            }
        },

        accountNameFromProfileInfo: context => context.accountLabel,

        async validate(context) {

            const { status } = await context.httpRequest({
                url: 'https://api.weatherly.example.org/v3/ping',
                params: { key: context.apiKey }
            });
            return status === 200;
        }
    }
};
