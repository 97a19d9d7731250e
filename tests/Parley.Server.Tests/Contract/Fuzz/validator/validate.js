// Validates recorded API responses against the OpenAPI contract with openapi-response-validator, a validator that
// shares no code with the server. Usage: node validate.js <openapi.json> <responses.jsonl>
// Each line of the responses file: {"method", "path" (the contract's path template), "status", "content_type", "body", "request"}.
// Prints one paragraph per mismatch and exits 1 when there is any.
'use strict';
const fs = require('fs');
const OpenAPIResponseValidator = require('openapi-response-validator').default;

const [documentPath, responsesPath] = process.argv.slice(2);
const document = JSON.parse(fs.readFileSync(documentPath, 'utf8'));
const validators = new Map();

// One validator per operation, status and media type: the library validates against a response's first content entry.
function validatorFor(method, path, status, mediaType) {
  const key = `${method} ${path} ${status} ${mediaType}`;
  if (!validators.has(key)) {
    const documented = document.paths[path][method].responses[String(status)];
    const entry = documented.content && documented.content[mediaType];
    validators.set(key, new OpenAPIResponseValidator({
      responses: { [status]: { description: documented.description, content: { [mediaType]: entry } } },
      components: document.components,
    }));
  }
  return validators.get(key);
}

const mismatches = [];
let checked = 0;
for (const line of fs.readFileSync(responsesPath, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const response = JSON.parse(line);
  checked++;
  const operation = document.paths[response.path] && document.paths[response.path][response.method];
  const fail = (why) => mismatches.push(`${response.request}\n    → ${response.status}: ${why}`);
  if (!operation) { fail('the operation is not in the contract'); continue; }
  const documented = operation.responses[String(response.status)];
  if (!documented) { fail('the status is not documented for this operation'); continue; }
  const mediaType = (response.content_type || '').split(';')[0].trim().toLowerCase();
  const content = documented.content || {};
  if (!mediaType) {
    if (response.body && Object.keys(content).length > 0) fail('a body without a Content-Type');
    continue;
  }
  if (!content[mediaType]) {
    fail(`Content-Type ${mediaType} is not documented for this status (documented: ${Object.keys(content).join(', ') || 'no body'})`);
    continue;
  }
  const isJson = mediaType === 'application/json' || mediaType.endsWith('+json');
  if (!isJson || response.body === null) continue;
  let body;
  try {
    body = JSON.parse(response.body);
  } catch (error) {
    fail(`the body is not JSON: ${error.message}`);
    continue;
  }
  const result = validatorFor(response.method, response.path, response.status, mediaType).validateResponse(response.status, body);
  if (result) {
    fail(`the body does not match the contract: ${JSON.stringify(result.errors)}\n    body: ${response.body.slice(0, 400)}`);
  }
}

console.log(`checked ${checked} responses against ${documentPath}: ${mismatches.length} mismatches`);
for (const mismatch of mismatches) console.log(mismatch);
process.exit(mismatches.length === 0 ? 0 : 1);
