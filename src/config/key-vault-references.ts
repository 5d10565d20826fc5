// App Service turns an app setting `@Microsoft.KeyVault(SecretUri=…)` into the secret before the
// process starts. When it cannot (the secret was never set in the vault, or the identity may not
// read it), the process gets the reference text itself: a public string, longer than 32 characters,
// that would pass for a configured token or an evidence-link signing key, and would switch on an
// integration half configured. The bot reads such a value as unset and says which ones it saw.

type Env = Readonly<Record<string, string | undefined>>;

const REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;

export interface ResolvedEnv {
  /** The environment without the settings App Service could not resolve. */
  readonly env: Env;
  /** Names of those settings, in the order the environment lists them. */
  readonly unresolved: readonly string[];
}

export function isKeyVaultReference(value: string | undefined): boolean {
  return value !== undefined && REFERENCE.test(value);
}

export function withoutUnresolvedKeyVaultReferences(env: Env): ResolvedEnv {
  const unresolved = Object.keys(env).filter((name) => isKeyVaultReference(env[name]));
  if (unresolved.length === 0) return { env, unresolved };
  const kept: Record<string, string | undefined> = { ...env };
  for (const name of unresolved) delete kept[name];
  return { env: kept, unresolved };
}

/** The warning logged for each unresolved setting at start. */
export function unresolvedReferenceMessage(name: string): string {
  return (
    `${name} is a Key Vault reference App Service could not resolve (the secret is not in the vault, or the bot's identity ` +
    'may not read it): treated as unset. Set it with az keyvault secret set (infra/README.md), then refresh the app settings.'
  );
}
