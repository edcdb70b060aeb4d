// Preloaded with `node --import` to make @napi-rs/canvas unresolvable, as in a build that lacks the native module.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, next) {
  if (specifier === '@napi-rs/canvas') throw new Error("Cannot find module '@napi-rs/canvas'");
  return next(specifier, context);
}
