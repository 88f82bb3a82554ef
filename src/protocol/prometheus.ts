/**
 * The Prometheus text exposition format (0.0.4), and one registry of metric families for every Rolecall
 * program: the server's request metrics, the webhook's and the agent's under the Go programs' names.
 * Families render in the order they were registered, label sets in the order they were first seen; a
 * family without labels always renders (0 before anything happened), a labelled one only the label sets
 * it has seen. Pure: no I/O, no dependencies.
 */

export type Labels = Record<string, string | number>;

interface Family {
  render(lines: string[]): void;
}

/** A label value in the exposition format's escaping; almost no value needs any, so test before replacing. */
function escapedLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
}

/** A label set as exposition text, values escaped (`\`, `"`, newline). Runs on every metric update. */
function labelText(labels: Labels): string {
  let text = '';
  for (const name in labels) text += `${text === '' ? '' : ','}${name}="${escapedLabelValue(String(labels[name]))}"`;
  return text;
}

const braced = (text: string) => (text === '' ? '' : `{${text}}`);

/** A monotonically increasing count per label set. */
export class Counter implements Family {
  private readonly values = new Map<string, number>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    labelled: boolean,
  ) {
    if (!labelled) this.values.set('', 0);
  }

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  /** The count of one label set (0 when never counted). */
  value(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`);
    for (const [labels, n] of this.values) lines.push(`${this.name}${braced(labels)} ${n}`);
  }
}

interface Observations {
  buckets: number[];
  sum: number;
  count: number;
}

/** Observed values per label set: cumulative buckets with `le`, sum and count (a histogram), or sum and count alone (a summary without quantiles). */
export class Distribution implements Family {
  private readonly observations = new Map<string, Observations>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly type: 'histogram' | 'summary',
    private readonly bounds: readonly number[] = [],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let observed = this.observations.get(key);
    if (!observed) this.observations.set(key, (observed = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) observed.buckets[i]!++;
    observed.sum += value;
    observed.count++;
  }

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`);
    for (const [labels, observed] of this.observations) {
      const prefix = labels === '' ? '' : `${labels},`;
      if (this.type === 'histogram') {
        this.bounds.forEach((bound, i) => lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${observed.buckets[i]}`));
        lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${observed.count}`);
      }
      lines.push(`${this.name}_sum${braced(labels)} ${observed.sum}`, `${this.name}_count${braced(labels)} ${observed.count}`);
    }
  }
}

/** A value read when scraped. */
class Gauge implements Family {
  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly read: () => number,
  ) {}

  render(lines: string[]): void {
    lines.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`);
  }
}

/** The metric families of one program. */
export class MetricsRegistry {
  private readonly families: Family[] = [];

  /** A counter; `labelled: false` for one without labels (rendered from 0). */
  counter(name: string, help: string, options: { labelled: boolean } = { labelled: true }): Counter {
    return this.add(new Counter(name, help, options.labelled));
  }

  histogram(name: string, help: string, bounds: readonly number[]): Distribution {
    return this.add(new Distribution(name, help, 'histogram', bounds));
  }

  /** A summary rendered with its sum and count only (no quantiles). */
  summary(name: string, help: string): Distribution {
    return this.add(new Distribution(name, help, 'summary'));
  }

  /** A gauge whose value is read when scraped. */
  gauge(name: string, help: string, read: () => number): void {
    this.add(new Gauge(name, help, read));
  }

  /** The exposition text. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.families) family.render(lines);
    return `${lines.join('\n')}\n`;
  }

  private add<T extends Family>(family: T): T {
    this.families.push(family);
    return family;
  }
}
