import { explainCompileErrors } from './engine/compileErrors.js';

/** What the guard needs of Cube's compiler API, which the engine adapts (engine/cubeCore.ts). */
export interface ModelCompiler {
  /** The model files' version now. */
  version(): Promise<string>;
  compile(version: string, requestId?: string): Promise<unknown>;
  /** Records `compilers` as the ones serving `version`, for anything in Cube that reads them directly. */
  adopt(version: string, compilers: unknown): void;
}

/** What the server knows about compiling the model files on disk. */
export interface ModelState {
  /** A compiled model is serving queries. */
  serving: boolean;
  /** The model files on disk do not compile: Cube's errors, naming file, line and member. */
  error: string | null;
  /** The files broke after a good compile: the previous model keeps serving. */
  stale: boolean;
}

/**
 * Keeps the last model that compiled serving when a model file is broken while the server
 * runs. Upstream Cube (0.35.81 `CompilerApi.getCompilers`, which the engine replaces with `compilersFor`) drops its compiled model as soon
 * as the model version changes and a recompile fails, so every query answered 500 until the
 * file was fixed. Here a changed version is compiled as a candidate; it replaces the serving
 * model only if it compiles. The compile error is logged once per broken version and shown
 * by `state()` (`/health`, `checkModel()`), naming file and line.
 *
 * Before any model has compiled (a model broken at start) queries fail with the explained
 * error, as they always did: there is nothing better to serve.
 */
export class ModelGuard {
  private current: ModelState = { serving: false, error: null, stale: false };
  private lastLogged: string | null = null;

  constructor(
    private readonly modelPath: string,
    private readonly log: (message: string) => void = () => {},
  ) {}

  state(): ModelState {
    return { ...this.current };
  }

  explain(message: string): string {
    return explainCompileErrors(message, this.modelPath);
  }

  /**
   * What answers for Cube's `getCompilers` on one compiler API (the engine installs it:
   * engine/cubeCore.ts; one per app id, this product has one).
   */
  compilersFor(compiler: ModelCompiler): (requestId?: string) => Promise<unknown> {
    let good: { version: string; compilers: unknown } | null = null;
    let failedVersion: string | null = null;
    let pending: { version: string; promise: Promise<unknown> } | null = null;

    return async (requestId?: string) => {
      const version = await compiler.version();
      if (good && (good.version === version || failedVersion === version)) return good.compilers;
      const inFlight = pending as { version: string; promise: Promise<unknown> } | null;
      if (inFlight && inFlight.version === version) return inFlight.promise;

      const promise: Promise<unknown> = compiler
        .compile(version, requestId)
        .then(
          (compilers: unknown) => {
            good = { version, compilers };
            failedVersion = null;
            compiler.adopt(version, compilers);
            if (this.current.error) this.log('[model] the model compiles again; serving the new version.');
            this.current = { serving: true, error: null, stale: false };
            this.lastLogged = null;
            return compilers;
          },
          (e: unknown) => {
            const error = this.explain(e instanceof Error ? e.message : String(e));
            this.current = { serving: good !== null, error, stale: good !== null };
            if (error !== this.lastLogged) {
              this.log(
                good
                  ? `[model] the model files changed but do not compile; still serving the previous version until they are fixed:\n${error}`
                  : `[model] the model does not compile; queries fail until it is fixed:\n${error}`,
              );
              this.lastLogged = error;
            }
            if (!good) throw e;
            failedVersion = version;
            return good.compilers;
          },
        )
        .finally(() => {
          if ((pending as { promise: Promise<unknown> } | null)?.promise === promise) pending = null;
        });
      pending = { version, promise };
      return promise;
    };
  }
}
