/**
 * Types for the npm `fernet` package (0.4.0), which ships none. Only what the benchmark calls
 * is described; see node_modules/fernet/lib/token.js for the real shape.
 */
declare module 'fernet' {
  interface FernetSecret {
    readonly signingKeyHex: string;
    readonly encryptionKeyHex: string;
  }

  interface FernetTokenOptions {
    secret?: FernetSecret;
    token?: string;
    /** Seconds; 0 turns the age check off. */
    ttl?: number;
  }

  interface FernetToken {
    encode(message?: string): string;
    decode(token?: string): string;
  }

  const fernet: {
    Secret: new (secret64: string) => FernetSecret;
    Token: new (options?: FernetTokenOptions) => FernetToken;
  };

  export = fernet;
}
