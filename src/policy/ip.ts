/** IPv4 and IPv6 addresses and CIDR blocks for the IpAddress/NotIpAddress operators. */
import { BoundedCache } from './bounded-cache.js';

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

/** A class rather than an object literal: compiled conditions keep it (young-objects.ts says why). */
export class CidrBlock {
  /** The network shifted by the host bits: what each address, shifted alike, is compared with. */
  readonly networkShifted: bigint;

  constructor(
    readonly version: 4 | 6,
    readonly network: bigint,
    readonly prefix: number,
    /** The bits after the prefix. */
    readonly hostBits: bigint,
  ) {
    this.networkShifted = network >> hostBits;
  }
}

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet)) return undefined;
    const number = Number(octet);
    if (number > 255) return undefined;
    value = (value << 8n) | BigInt(number);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailGroups: number[] = [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) supplies the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.') && lastColon >= 0) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tailGroups = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      groups.push(parseInt(group, 16));
    }
    return groups;
  };
  const left = parseGroups(halves[0]!);
  const right = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const given = left.length + right.length + tailGroups.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const groups = [...left, ...new Array<number>(8 - given).fill(0), ...right, ...tailGroups];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

// Request addresses repeat (a client's aws:SourceIp on each of its requests, for each IpAddress
// condition), and parsing into a BigInt costs more than the lookup.
const parsedAddresses = new BoundedCache<string, Readonly<IpAddress> | null>(4096);

/** Parses an IPv4 or IPv6 address; undefined when it is neither. */
export function parseIpAddress(text: string): Readonly<IpAddress> | undefined {
  let parsed = parsedAddresses.get(text);
  if (parsed === undefined) {
    const address = readIpAddress(text);
    parsed = address ? Object.freeze(address) : null;
    parsedAddresses.set(text, parsed);
  }
  return parsed ?? undefined;
}

function readIpAddress(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseIpv6(trimmed);
    return value === undefined ? undefined : { version: 6, value };
  }
  const value = parseIpv4(trimmed);
  return value === undefined ? undefined : { version: 4, value };
}

/** Parses `addr/prefix`, or a bare address (a single-host block). */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const width = address.version === 4 ? 32 : 128;
  let prefix = width;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > width) return undefined;
  }
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  const hostBits = BigInt(width - prefix);
  const network = address.value & mask;
  return new CidrBlock(address.version, network, prefix, hostBits);
}

/** Whether the address lies in the block (never across IP versions). */
export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  if (block.version !== address.version) return false;
  return address.value >> block.hostBits === block.networkShifted;
}
