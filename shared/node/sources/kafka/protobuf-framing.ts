import protobuf from 'protobufjs';

/**
 * Confluent's Protobuf wire format: after the magic byte and schema id, a list of message indexes
 * says which message of the .proto file the payload is (first top-level message = [0]), then the
 * Protobuf bytes. The list is a zigzag varint count and that many zigzag varints; [0] alone is
 * written as the single byte 0.
 * https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format
 */
export function readMessageIndexes(body: Buffer): { indexes: number[]; offset: number } {
  let offset = 0;
  const next = (): number => {
    let shift = 0;
    let raw = 0;
    for (let i = 0; i < 5; i++) {
      if (offset >= body.length) throw new Error('message-index list runs past the payload');
      const b = body[offset++];
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (raw >>> 1) ^ -(raw & 1);
      shift += 7;
    }
    throw new Error('message-index varint is too long');
  };
  const count = next();
  if (count === 0) return { indexes: [0], offset };
  if (count < 0 || count > 32) throw new Error(`message-index list of ${count} entries`);
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) indexes.push(next());
  return { indexes, offset };
}

/** The .proto file's messages in declaration order, top level first, as Confluent numbers them. */
function messagesOf(ns: protobuf.NamespaceBase): protobuf.Type[] {
  return ns.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
}

export interface CompiledProto {
  root: protobuf.Root;
  topLevel: protobuf.Type[];
}

/** Parses a registry .proto schema (field names kept as written, as in the JSON a team would see). */
export function compileProto(text: string): CompiledProto {
  const { root, package: pkg } = protobuf.parse(text, { keepCase: true });
  root.resolveAll();
  const ns = pkg ? (root.lookup(pkg) as protobuf.Namespace | null) ?? root : root;
  const topLevel = messagesOf(ns);
  if (topLevel.length === 0) throw new Error('the .proto schema declares no message');
  return { root, topLevel };
}

/** Decodes one framed Protobuf payload (after magic + schema id) into a JSON-like value. */
export function decodeProtobuf(compiled: CompiledProto, body: Buffer): unknown {
  const { indexes, offset } = readMessageIndexes(body);
  let type = compiled.topLevel[indexes[0]];
  for (const i of indexes.slice(1)) type = type ? messagesOf(type)[i] : undefined as never;
  if (!type) throw new Error(`message index [${indexes.join(', ')}] is not in the schema`);
  const message = type.decode(body.subarray(offset));
  // longs as strings (ids above 2^53), enums by name; bytes fields are left out (see withoutBytes).
  return withoutBytes(type, type.toObject(message, { longs: String, enums: String, bytes: String, defaults: false, arrays: true }), 0);
}

/** Bytes fields become null: binary is never guessed at as text, as for Avro bytes. */
function withoutBytes(type: protobuf.Type, obj: Record<string, unknown>, depth: number): Record<string, unknown> {
  if (depth > 32) return {};
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(obj)) {
    const field = type.fields[name];
    if (!field) continue;
    if (field.type === 'bytes') {
      out[name] = null;
      continue;
    }
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (!nested) out[name] = value;
    else if (field.map) out[name] = Object.fromEntries(Object.entries(value as Record<string, Record<string, unknown>>).map(([k, v]) => [k, withoutBytes(nested, v, depth + 1)]));
    else if (field.repeated) out[name] = (value as Record<string, unknown>[]).map((v) => withoutBytes(nested, v, depth + 1));
    else out[name] = withoutBytes(nested, value as Record<string, unknown>, depth + 1);
  }
  return out;
}
