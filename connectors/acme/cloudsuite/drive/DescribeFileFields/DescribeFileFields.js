'use strict';

module.exports = {

    async receive(context) {

        // Sample connector: a fixed list stands in for the remote call.
        const items = [{ id: 'a1', name: 'First' }, { id: 'b2', name: 'Second' }];
        return context.sendJson({ items }, 'out');
    },

    toOutputPortOptions(output) {
        return (output.items || []).map(item => ({ label: item.name, value: item.id }));
    }
};
