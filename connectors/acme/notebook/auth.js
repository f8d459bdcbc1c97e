'use strict';

module.exports = {

    type: 'apiKey',

    definition: {

        tokenType: 'authentication-token',

        auth: {
            apiKey: {
                type: 'text',
                name: 'API key',
                tooltip: 'Create a key under Settings, then Integrations, in Notebook.'
            }
        },

        accountNameFromProfileInfo: 'owner.email',

        async requestProfileInfo(context) {

            const { data } = await context.httpRequest({
                url: 'https://api.notebook.example.com/v1/account',
                headers: { 'X-Api-Key': context.apiKey }
            });
            return data;
        },

        async validate(context) {

            await this.requestProfileInfo(context);
            return true;
        }
    }
};
