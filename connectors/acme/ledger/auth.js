'use strict';

// Ledger accounts sign in with the same username and password as the web app.
module.exports = {

    // Shown before the account is created; both inputs render as text at first.
    fields: { username: { type: 'text' } },

    type: 'pwd',

    definition: {

        auth: {
            username: {
                type: 'text',
                name: 'Username',
                tooltip: 'Your Ledger login.'
            },
            password: {
                type: 'password',
                name: 'Password',
                tooltip: 'Your Ledger password. It is stored encrypted.'
            }
        },

        accountNameFromProfileInfo: 'username',

        async validate(context) {

            const { data } = await context.httpRequest({
                method: 'POST',
                url: 'https://api.ledger.example.com/session',
                data: { username: context.username, password: context.password }
            });
            return Boolean(data.sessionId);
        }
    }
};
