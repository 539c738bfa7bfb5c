import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { FileRepository } = require('@cubejs-backend/shared') as typeof import('@cubejs-backend/shared');

/** Cube's FileRepository resolves its path against the working directory; ours is absolute. */
export class ModelRepository extends FileRepository {
  constructor(private readonly modelPath: string) {
    super(modelPath);
  }

  localPath(): string {
    return this.modelPath;
  }
}
