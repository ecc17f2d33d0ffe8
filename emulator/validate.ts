// Strict request checking, as the real API does: unknown fields, wrong types, bad enum
// values and missing required fields each give a field error (→ 400 with fieldErrors).

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export type Schema =
  | { t: 'string'; enum?: readonly string[]; max?: number; format?: 'date-time' }
  | { t: 'boolean' }
  | { t: 'integer'; min?: number; max?: number }
  | { t: 'object'; props: Record<string, Schema>; required?: readonly string[]; open?: boolean }
  | { t: 'array'; items: Schema };

export function check(
  schema: Schema,
  value: unknown,
  field = 'body',
  out: FieldError[] = [],
): FieldError[] {
  const fail = (code: string, message: string) => out.push({ field, code, message });
  switch (schema.t) {
    case 'string':
      if (typeof value !== 'string') return (fail('type', `${field} must be a string`), out);
      if (schema.enum && !schema.enum.includes(value))
        fail('oneof', `${field} must be one of ${schema.enum.join(', ')}`);
      if (schema.max !== undefined && value.length > schema.max)
        fail('max', `${field} must be at most ${schema.max} characters`);
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value)))
        fail('datetime', `${field} must be an RFC 3339 date-time`);
      return out;
    case 'boolean':
      if (typeof value !== 'boolean') fail('type', `${field} must be a boolean`);
      return out;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        return (fail('type', `${field} must be an integer`), out);
      if (schema.min !== undefined && value < schema.min)
        fail('min', `${field} must be at least ${schema.min}`);
      if (schema.max !== undefined && value > schema.max)
        fail('max', `${field} must be at most ${schema.max}`);
      return out;
    case 'array':
      if (!Array.isArray(value)) return (fail('type', `${field} must be an array`), out);
      value.forEach((item, i) => check(schema.items, item, `${field}[${i}]`, out));
      return out;
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value))
        return (fail('type', `${field} must be an object`), out);
      const obj = value as Record<string, unknown>;
      const prefix = field === 'body' ? '' : `${field}.`;
      for (const name of schema.required ?? []) {
        if (obj[name] === undefined || obj[name] === null)
          out.push({
            field: `${prefix}${name}`,
            code: 'required',
            message: `${prefix}${name} is required`,
          });
      }
      for (const [name, v] of Object.entries(obj)) {
        const sub = schema.props[name];
        if (!sub) {
          if (!schema.open)
            out.push({
              field: `${prefix}${name}`,
              code: 'unknown',
              message: `unknown field ${prefix}${name}`,
            });
          continue;
        }
        if (v === undefined || v === null) continue;
        check(sub, v, `${prefix}${name}`, out);
      }
      return out;
    }
  }
}

// Shorthands for the schemas below.
export const str = (
  extra: Partial<{ enum: readonly string[]; max: number; format: 'date-time' }> = {},
): Schema => ({ t: 'string', ...extra });
export const bool: Schema = { t: 'boolean' };
export const int = (min?: number, max?: number): Schema => ({ t: 'integer', min, max });
export const obj = (
  props: Record<string, Schema>,
  required: readonly string[] = [],
  open = false,
): Schema => ({ t: 'object', props, required, open });
export const arr = (items: Schema): Schema => ({ t: 'array', items });
