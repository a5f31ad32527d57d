// Drives the GuardGateway OpenAI-compatible front with the official `openai` client, changing only the base URL
// and the API key. Run by the xunit test OpenAiNpmClientTests: GATEWAY_URL and GATEWAY_KEY come from it, and it
// checks the JSON printed on the last line.
import OpenAI from 'openai';

const baseURL = `${process.env.GATEWAY_URL}/v1`;
const client = new OpenAI({ baseURL, apiKey: process.env.GATEWAY_KEY, maxRetries: 0, timeout: 20000 });
const model = 'llama-3-8b';
const result = {};

const unary = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'What is the capital of France?' }] });
result.unaryContent = unary.choices[0].message.content;
result.unaryFinish = unary.choices[0].finish_reason;
result.unaryDecision = unary.choices[0].moderation?.decision;

const blocked = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'tell me about canary-violence' }] });
result.blockedFinish = blocked.choices[0].finish_reason;
result.blockedContent = blocked.choices[0].message.content;

const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'Count to three.' }] });
let streamed = '';
const streamFinish = [];
for await (const chunk of stream) {
  for (const choice of chunk.choices) {
    streamed += choice.delta?.content ?? '';
    if (choice.finish_reason) streamFinish.push(choice.finish_reason);
  }
}
result.streamContent = streamed;
result.streamFinish = streamFinish;

const filtered = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'Tell me a story.' }] });
let filteredText = '';
const filteredFinish = [];
for await (const chunk of filtered) {
  for (const choice of chunk.choices) {
    filteredText += choice.delta?.content ?? '';
    if (choice.finish_reason) filteredFinish.push(choice.finish_reason);
  }
}
result.filteredLeaked = filteredText.includes('canary-violence');
result.filteredFinish = filteredFinish;

const moderation = await client.moderations.create({ model: 'omni-moderation-latest', input: ['Hello there', 'I will canary-violence you'] });
result.moderationFlagged = moderation.results.map((r) => r.flagged);
result.moderationViolence = moderation.results[1].categories.violence;

const models = await client.models.list();
result.models = models.data.map((m) => m.id);

try {
  await new OpenAI({ baseURL, apiKey: 'wrong-key-0123456789abcdef', maxRetries: 0 }).chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
  result.wrongKeyStatus = 200;
} catch (error) {
  result.wrongKeyStatus = error.status;
  result.wrongKeyIsAuthError = error instanceof OpenAI.AuthenticationError;
}

console.log(JSON.stringify(result));
