/**
 * The page's side of the fit worker: one promise per request, progress and
 * partial results through callbacks, and Cancel. Cancel ends the worker
 * outright (a running fit cannot be interrupted any other way) and starts a
 * fresh one with the same data; the fitted model is refitted, without plots,
 * the next time a question needs it.
 */
import type { FitOptions } from '../../../src/index.js';
import type { Comparison, ConfintChoice, DataPreview, IntervalRow, Part, PredictionRows, Reply, Request } from './protocol.js';

/** A request ended by Cancel. */
export class Cancelled extends Error {
  override name = 'Cancelled';
}

/** A request the worker could not answer: `internal` is false for the user's errors (bad formula, bad data). */
export class WorkerError extends Error {
  override name = 'WorkerError';
  constructor(message: string, readonly internal: boolean) {
    super(message);
  }
}

interface Handlers {
  onProgress?: (stage: string) => void;
  onPart?: (part: Part) => void;
}

interface Pending extends Handlers {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A request without its id (distributed over the union, so each kind keeps its fields). */
type Body = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export class FitClient {
  private worker!: Worker;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private data: { bytes: ArrayBuffer; name: string } | null = null;
  /** The fit the worker holds (or will hold once its queue gets there), null after Cancel or a failed fit. */
  private held: { formula: string; options: FitOptions } | null = null;
  private last: { formula: string; options: FitOptions } | null = null;

  constructor(private readonly makeWorker: () => Worker) {
    this.start();
  }

  private start(): void {
    this.worker = this.makeWorker();
    this.worker.onmessage = (event: MessageEvent<Reply>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(new WorkerError(`internal error: the fit worker stopped (${event.message || 'no message'})`, true));
      this.restart();
    };
  }

  private receive(r: Reply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    if (r.type === 'progress') p.onProgress?.(r.stage);
    else if (r.type === 'part') p.onPart?.(r);
    else {
      this.pending.delete(r.id);
      if (r.type === 'done') p.resolve(r.value);
      else p.reject(new WorkerError(r.message, r.internal));
    }
  }

  private failAll(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }

  private restart(): void {
    this.worker.terminate();
    this.held = null;
    this.start();
    if (this.data) this.post({ type: 'load', bytes: this.data.bytes.slice(0), name: this.data.name }, {}).catch(() => undefined);
  }

  private post(body: Body, handlers: Handlers, transfer: Transferable[] = []): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...handlers });
      this.worker.postMessage({ ...body, id } as Request, transfer);
    });
  }

  /** True while any request is unanswered. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Reads a CSV file (the bytes are kept, to reload after Cancel). */
  async load(bytes: ArrayBuffer, name: string): Promise<DataPreview> {
    this.data = { bytes: bytes.slice(0), name };
    this.held = null;
    this.last = null;
    return (await this.post({ type: 'load', bytes, name }, {}, [bytes])) as DataPreview;
  }

  /** The error the formula would give on the loaded data (null if none). */
  async check(formula: string, options: FitOptions): Promise<string | null> {
    try {
      await this.post({ type: 'check', formula, options }, {});
      return null;
    } catch (err) {
      if (err instanceof WorkerError && !err.internal) return err.message;
      throw err;
    }
  }

  /** Fits, reporting the result, the comparison and each plot as they come. */
  async fit(formula: string, options: FitOptions, handlers: Handlers): Promise<void> {
    this.held = { formula, options };
    this.last = null;
    const onPart = (part: Part) => {
      if (part.key === 'result') this.last = { formula, options };
      handlers.onPart?.(part);
    };
    try {
      await this.post({ type: 'fit', formula, options, extras: true }, { ...handlers, onPart });
    } catch (err) {
      this.held = null;
      throw err;
    }
  }

  /** Makes sure the worker holds the last completed fit (after a Cancel it refits, quietly). */
  private async model(): Promise<void> {
    if (this.held) return;
    if (!this.last) throw new WorkerError('fit a model first', false);
    const { formula, options } = this.last;
    this.held = this.last;
    try {
      await this.post({ type: 'fit', formula, options, extras: false }, {});
    } catch (err) {
      this.held = null;
      throw err;
    }
  }

  async compare(formula: string, handlers: Handlers = {}): Promise<Comparison> {
    await this.model();
    return (await this.post({ type: 'compare', formula }, handlers)) as Comparison;
  }

  async confint(method: ConfintChoice, level: number): Promise<IntervalRow[]> {
    await this.model();
    return (await this.post({ type: 'confint', method, level }, {})) as IntervalRow[];
  }

  async predict(csv: string, population: boolean, interval: 'none' | 'confidence' | 'prediction', level: number): Promise<PredictionRows> {
    await this.model();
    return (await this.post({ type: 'predict', csv, population, interval, level }, {})) as PredictionRows;
  }

  /** The HTML report of the current fit, its header naming the data and the command that gives the same fit. */
  async report(provenance: { data: string; command: string }): Promise<string> {
    await this.model();
    return (await this.post({ type: 'report', provenance }, {})) as string;
  }

  /** Stops whatever runs: every open request ends with Cancelled. */
  cancel(): void {
    this.failAll(new Cancelled('cancelled'));
    this.restart();
  }
}
