import { X509Certificate } from 'node:crypto';
import { selfSignedLoopbackCertificate } from '../helpers/loopback-graph';

// The loopback authority's certificate is made fresh for every test run, from random bytes: check
// that every one of many is well-formed DER, covers 127.0.0.1 and verifies with its own key.

describe('loopback certificate', () => {
  it('is a valid self-signed certificate for 127.0.0.1, every time', () => {
    for (let i = 0; i < 500; i += 1) {
      const { cert } = selfSignedLoopbackCertificate();
      const x509 = new X509Certificate(cert);
      expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(x509.verify(x509.publicKey)).toBe(true);
      expect(x509.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    }
  });
});
