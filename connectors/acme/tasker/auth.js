'use strict';

module.exports = {

    type: 'apiKey',

    definition: {

        auth: {
            workspace: {
                type: 'text',
                name: 'Workspace',
                tooltip: 'The part before .tasker.example.com in your address bar.'
            },
            token: {
                type: 'password',
                name: 'Personal token'
            }
        },

        accountNameFromProfileInfo: 'workspace',

        async requestProfileInfo(context) {

            const { data } = await context.httpRequest({
                url: `https://${context.workspace}.tasker.example.com/api/me`,
                headers: { Authorization: `Token ${context.token}` }
            });
            return { workspace: context.workspace, user: data.name };
        }
    }
};
