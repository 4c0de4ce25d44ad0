// One event type at one version: the name consumers dispatch on and the class-validator
// class its payload must satisfy. A new incompatible shape is a new version, never an edit.
export type PayloadClass<P extends object> = new () => P;

export interface EventDefinition<P extends object = object> {
  readonly type: string;
  readonly version: number;
  readonly payloadClass: PayloadClass<P>;
  /** How a payload of the previous version becomes one of this version (consumers read only the newest). */
  readonly upcastFrom?: Upcaster;
}

export interface Upcaster {
  readonly definition: EventDefinition;
  readonly convert: (previous: object) => object;
}

export function defineEvent<P extends object>(
  type: string,
  version: number,
  payloadClass: PayloadClass<P>,
  options: { upcastFrom?: Upcaster } = {},
): EventDefinition<P> {
  return Object.freeze({ type, version, payloadClass, ...options });
}

/** Payload type carried by a definition, for typed handlers. */
export type PayloadOf<D> = D extends EventDefinition<infer P> ? P : never;
