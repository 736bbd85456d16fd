/**
 * A plain-code pre-check for the common case of an argument that is valid: compiled once per input
 * class from its class-validator metadata, it says "valid" only where class-validator would certainly
 * agree, and "ask class-validator" otherwise (a violation, a nested input, any constraint it does not
 * know). So messages always come from class-validator, and a valid argument skips class-transformer and
 * class-validator, which cost tens of µs per mutation (the create path's profile).
 */
import { getMetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];
/** An input class (any constructor). */
type InputClass = abstract new (...args: never[]) => unknown;

/** True when the argument is valid for sure; false means "run class-validator". */
export type PlainInputCheck = (value: Record<string, unknown>) => boolean;

type ValueCheck = (value: unknown) => boolean;

interface PropertyRule {
  name: string;
  optional: boolean;
  /** A nested input is left to class-validator unless absent. */
  nested: boolean;
  checks: ValueCheck[];
}

const checks = new Map<InputClass, PlainInputCheck | null>();

/** The pre-check for an input class, or null when its constraints are not all plain ones. */
export function plainInputCheck(metatype: InputClass): PlainInputCheck | null {
  let check = checks.get(metatype);
  if (check === undefined) {
    check = compile(getMetadataStorage().getTargetValidationMetadatas(metatype, '', false, false));
    checks.set(metatype, check);
  }
  return check;
}

function compile(metadatas: readonly ValidationMetadata[]): PlainInputCheck | null {
  if (metadatas.length === 0) return null; // class-validator refuses an unknown value: let it say so
  const rules = new Map<string, PropertyRule>();
  for (const metadata of metadatas) {
    if ((metadata.groups?.length ?? 0) > 0 || metadata.always) return null;
    const name = metadata.propertyName;
    let rule = rules.get(name);
    if (!rule) {
      rule = { name, optional: false, nested: false, checks: [] };
      rules.set(name, rule);
    }
    if (metadata.type === 'conditionalValidation' && metadata.name === 'isOptional') rule.optional = true;
    else if (metadata.type === 'nestedValidation') rule.nested = true;
    else if (metadata.type === 'customValidation' && metadata.each && metadata.name === 'arrayMaxSize')
      return null;
    else if (metadata.type === 'customValidation') {
      const valueCheck = constraintCheck(metadata.name, metadata.constraints?.[0]);
      if (valueCheck === null) return null;
      // `each`: class-validator tests every element of an array (a non-array is left to it).
      rule.checks.push(
        metadata.each ? (field) => Array.isArray(field) && field.every(valueCheck) : valueCheck,
      );
    } else return null;
  }
  const all = [...rules.values()];
  return (value) => {
    for (const rule of all) {
      const field = value[rule.name];
      if (field === null || field === undefined) {
        if (rule.optional) continue;
        return false;
      }
      if (rule.nested) return false;
      for (const check of rule.checks) if (!check(field)) return false;
    }
    return true;
  };
}

/** The constraints the inputs use, each at least as strict as class-validator's own test. */
function constraintCheck(name: string | undefined, bound: unknown): ValueCheck | null {
  if (typeof bound !== 'number') return null;
  switch (name) {
    // class-validator counts a surrogate pair as one character: `length` never undercounts.
    case 'maxLength':
      return (value) => typeof value === 'string' && value.length <= bound;
    case 'min':
      return (value) => typeof value === 'number' && value >= bound;
    case 'arrayMaxSize':
      return (value) => Array.isArray(value) && value.length <= bound;
    default:
      return null;
  }
}
