'use strict';

const BASE = 'https://api.microblog.example.com';

module.exports = {

    type: 'oauth',

    definition: {

        // OAuth 1.0a three-legged flow.
        requestRequestToken: BASE + '/oauth/request_token',

        authUrl: context => BASE + '/oauth/authorize?oauth_token=' + context.requestToken,

        requestAccessToken: BASE + '/oauth/access_token',

        signatureMethod: 'HMAC-SHA1',

        accountNameFromProfileInfo: 'handle',

        async requestProfileInfo(context) {

            const { data } = await context.httpRequest({
                url: BASE + '/1/account/verify',
                oauth: {
                    consumer_key: context.consumerKey,
                    consumer_secret: context.consumerSecret,
                    token: context.accessToken,
                    token_secret: context.accessTokenSecret
                }
            });
            return data;
        }
    }
};
