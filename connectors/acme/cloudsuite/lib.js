'use strict';

const BASE = 'https://api.cloudsuite.example.com';

async function call(context, method, path, data) {

    const { data: body } = await context.httpRequest({
        method,
        url: BASE + path,
        data,
        headers: { Authorization: `Bearer ${context.auth.accessToken}` }
    });
    return body;
}

function toSelectArray(items, labelKey = 'name') {

    return (items || []).map(item => ({ label: item[labelKey], value: item.id }));
}

module.exports = { call, toSelectArray };
