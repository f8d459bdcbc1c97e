'use strict';

const lib = require('./lib');

module.exports = {

    type: 'oauth2',

    definition: {

        // Every module asks for the scopes it needs; these are the union.
        scope: ['profile', 'mail.read', 'mail.send', 'drive.read', 'drive.write'],

        authUrl: 'https://login.cloudsuite.example.com/oauth2/authorize',

        requestAccessToken: 'https://login.cloudsuite.example.com/oauth2/token',

        refreshAccessToken: 'https://login.cloudsuite.example.com/oauth2/token',

        accountNameFromProfileInfo: 'email',

        async requestProfileInfo(context) {

            return lib.call(context, 'GET', '/v1/me');
        },

        async validateAccessToken(context) {

            const profile = await lib.call(context, 'GET', '/v1/me');
            return Boolean(profile && profile.email);
        }
    }
};
