/**
 * How clients name a workflow without loading its code: a stand-in function that carries the
 * workflow type as its name (what the client sends) and the workflow's signature as its type
 * (what the compiler checks the arguments against). Calling it is a mistake: workflows run in the worker.
 */
// biome-ignore lint: the signature is the workflow's, whatever it is
type AnyWorkflow = (...args: any[]) => Promise<unknown>;

export function workflowRef<W extends AnyWorkflow>(type: string): W {
  const named = {
    [type]: async () => {
      throw new Error(`${type} is a workflow: start it through the Temporal client`);
    },
  };
  return named[type] as unknown as W;
}
