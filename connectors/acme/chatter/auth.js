'use strict';

const API = 'https://api.chatter.example.com/v2';

module.exports = {

    type: 'oauth2',

    definition: {

        scope: ['chat:write', 'channels:read', 'users:read'],

        scopeDelimiter: ' ',

        authUrl: 'https://chatter.example.com/oauth/authorize',

        requestAccessToken: API + '/oauth/token',

        refreshAccessToken: API + '/oauth/token',

        accountNameFromProfileInfo: 'workspace.name',

        async requestProfileInfo(context) {

            const { data } = await context.httpRequest({
                method: 'GET',
                url: API + '/me',
                headers: { Authorization: `Bearer ${context.accessToken}` }
            });
            return data;
        },

        async validateAccessToken(context) {

            const { data } = await context.httpRequest({
                method: 'GET',
                url: API + '/auth/check',
                headers: { Authorization: `Bearer ${context.accessToken}` }
            });
            if (!data.valid) {
                throw new Error('Chatter token is no longer valid.');
            }
        }
    }
};
