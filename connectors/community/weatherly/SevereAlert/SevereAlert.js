'use strict';

module.exports = {

    async start(context) {
        return context.service.stateSet('hook', context.getWebhookUrl());
    },

    async receive(context) {

        if (context.messages.webhook) {
            // Sample connector: forward the webhook payload (Severe Weather Alert).
            await context.sendJson(context.messages.webhook.content.data, 'out');
            return context.response();
        }
    }
};
