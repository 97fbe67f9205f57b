export * from './money.ts';
export * from './messages.ts';
export * from './methods/index.ts';
export * from './status.ts';
export * from './api.ts';
export * from './signature.ts';
export * from './redirect.ts';
export * from './client.ts';
