/**
 * The database clients are optional dependencies (optional peer
 * dependencies in package.json), loaded only when a source needs one, so that
 * a production install without databases stays small. A missing one is a
 * clear error saying what needs it and how to install it.
 */
import { MixedModelsError } from '../errors.js';

export async function optionalModule<T>(name: string, load: () => Promise<T>, needed: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MixedModelsError(`${needed} needs ${name}: npm install ${name}`);
    }
    throw err;
  }
}
