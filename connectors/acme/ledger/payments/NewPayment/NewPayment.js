'use strict';

module.exports = {

    async tick(context) {

        const since = context.state.since || new Date().toISOString();
        // Sample connector: poll for items newer than `since` (New Payment).
        await context.saveState({ since: new Date().toISOString() });
        return since;
    }
};
