'use strict';

module.exports = {

    async receive(context) {

        const input = context.messages.in.content;
        // Sample connector: pretend to call the remote API for Share File.
        const result = { ok: true, received: Object.keys(input || {}).length };
        return context.sendJson(result, 'out');
    }
};
