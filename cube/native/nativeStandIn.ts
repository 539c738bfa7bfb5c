/**
 * Stand-ins for the parts of `@cubejs-backend/native` (a Rust binary downloaded from GitHub,
 * unavailable here) that Cube 0.35's JavaScript path touches. Plain YAML and JS models never
 * need them; a Jinja template or a Python `globals.py` gets this clear refusal instead of a
 * "cannot load native module" stack trace.
 */
export const NATIVE_UNAVAILABLE =
  "is not available in this deployment: Cube's native module (@cubejs-backend/native) is not installed. " +
  'Write the model in plain YAML (no {{ }} / {% %} templates), or run the same model on a Cube 1.x deployment.';

class RefusingJinjaEngine {
  loadTemplate(fileName: string): never {
    throw new Error(`${fileName}: Jinja templating ${NATIVE_UNAVAILABLE}`);
  }

  renderTemplate(fileName: string): never {
    throw new Error(`${fileName}: Jinja templating ${NATIVE_UNAVAILABLE}`);
  }
}

export class NativeInstanceStandIn {
  newJinjaEngine(): RefusingJinjaEngine {
    return new RefusingJinjaEngine();
  }

  loadPythonContext(fileName: string): never {
    throw new Error(`${fileName}: Python model files ${NATIVE_UNAVAILABLE}`);
  }
}
