// The official OpenAI SDK for Node, unchanged, against a running Parley server's OpenAI-compatible endpoints.
// Run by the server tests (OpenAiNodeClientTests) with PARLEY_URL, PARLEY_KEY and PARLEY_BOT set; prints one line per
// step and "all steps passed" at the end, and exits non-zero at the first step that fails.
import assert from "node:assert/strict";
import OpenAI from "openai";

const { PARLEY_URL: url, PARLEY_KEY: key, PARLEY_BOT: bot } = process.env;
assert.ok(url && key && bot, "set PARLEY_URL, PARLEY_KEY and PARLEY_BOT");

const baseURL = `${url}/v1/openai`;
const client = new OpenAI({ baseURL, apiKey: key, maxRetries: 0 });
const user = `node-client-${Date.now()}`;

const models = await client.models.list();
const listed = models.data.find((m) => m.id === bot);
assert.ok(listed, `the bot ${bot} is not among the models: ${JSON.stringify(models.data)}`);
assert.equal(listed.object, "model");
console.log(`models: ${models.data.length} listed, the bot as "${listed.name}"`);

const history = [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: "Hi there" }];
const plain = await client.chat.completions.create({ model: bot, user, messages: history });
assert.equal(plain.object, "chat.completion");
assert.equal(plain.model, bot);
assert.equal(plain.choices[0].finish_reason, "stop");
const first = plain.choices[0].message.content;
assert.ok(first.length > 0, "empty answer");
const conversation = plain.parley.conversation_id;
assert.match(conversation, /^conv_/);
console.log(`plain: ${JSON.stringify(first)} in ${conversation}`);

history.push({ role: "assistant", content: first }, { role: "user", content: "Do you ship to Canada?" });
const stream = await client.chat.completions.create({ model: bot, user, messages: history, stream: true });
let streamed = "";
let chunks = 0;
let finish = null;
let streamedConversation = null;
for await (const chunk of stream) {
  assert.equal(chunk.object, "chat.completion.chunk");
  chunks++;
  streamed += chunk.choices[0]?.delta?.content ?? "";
  finish = chunk.choices[0]?.finish_reason ?? finish;
  streamedConversation = chunk.parley?.conversation_id ?? streamedConversation;
}
assert.ok(chunks > 2, `only ${chunks} chunks`);
assert.ok(streamed.length > 0, "empty streamed answer");
assert.equal(finish, "stop");
assert.equal(streamedConversation, conversation, "the streamed follow-up went to another conversation");
console.log(`streamed: ${JSON.stringify(streamed)} in ${chunks} chunks`);

history.push({ role: "assistant", content: streamed }, { role: "user", content: "And to Mexico?" });
const followUp = await client.chat.completions.create({ model: bot, user, messages: history });
assert.equal(followUp.parley.conversation_id, conversation);
assert.equal(followUp.parley.recognised_messages, 2);
console.log(`follow-up: ${JSON.stringify(followUp.choices[0].message.content)}, ${followUp.parley.recognised_messages} earlier messages recognised`);

const wrong = new OpenAI({ baseURL, apiKey: "sk_notAValidKey000000000000000000000", maxRetries: 0 });
await assert.rejects(wrong.chat.completions.create({ model: bot, messages: [{ role: "user", content: "Hi" }] }), (error) => {
  assert.ok(error instanceof OpenAI.AuthenticationError, `not an AuthenticationError: ${error}`);
  assert.equal(error.status, 401);
  assert.equal(error.code, "invalid_api_key");
  assert.equal(error.type, "authentication_error");
  assert.equal(error.error.param, null);
  console.log(`wrong key: ${error.status} ${error.code}: ${error.error.message}`);
  return true;
});

await assert.rejects(client.chat.completions.create({ model: "bot_doesnotexist", messages: [{ role: "user", content: "Hi" }] }), (error) => {
  assert.ok(error instanceof OpenAI.NotFoundError, `not a NotFoundError: ${error}`);
  assert.equal(error.status, 404);
  assert.equal(error.code, "model_not_found");
  assert.equal(error.param, "model");
  console.log(`unknown bot: ${error.status} ${error.code}: ${error.error.message}`);
  return true;
});

console.log(`conversation: ${conversation}`);
console.log("all steps passed");
