'use strict';

module.exports = {

    rules: [
        {
            // Workspace-wide API budget.
            limit: 100,
            window: 60 * 1000,
            throttling: 'window-sliding',
            queueing: 'fifo',
            resource: 'requests',
            scope: 'userId'
        },
        {
            // Posting is limited to one message per second per channel.
            limit: 1,
            window: 1000,
            throttling: 'window-sliding',
            queueing: 'fifo',
            resource: 'messages.post',
            scope: 'userId'
        }
    ]
};
