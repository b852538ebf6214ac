// Independent check of a SUIT data set made by update-tool: decodes it with npm's `cbor`, checks the
// manifest digest with node's SHA-256, verifies the COSE_Sign1 ES256 signature with @noble/curves,
// and compares the payload's SHA-256 and size with the manifest's image-digest and image-size.
// With the master secret, it also derives the KEK (TLS 1.2 PRF from node's HMAC), unwraps the content
// key (node's id-aes128-wrap) and decrypts (node's aes-128-ctr) before checking the digest.
// None of this project's code is used.
// Usage: node verify-suit.mjs FILE.suit VENDOR.pub.pem [MASTER.hex]
// Prints one JSON line; exit 0 only if every check passed.
import { readFileSync } from 'node:fs';
import { createHash, createHmac, createDecipheriv, createPublicKey } from 'node:crypto';
import cbor from 'cbor';
import { p256 } from '@noble/curves/nist.js';

const [file, pubPem, masterFile] = process.argv.slice(2);
if (!file || !pubPem) {
  console.error('usage: node verify-suit.mjs FILE.suit VENDOR.pub.pem');
  process.exit(2);
}

const sha256 = (b) => createHash('sha256').update(b).digest();
const get = (m, k) => (m instanceof Map ? m.get(k) : m[k]);
const untag = (v, tag) => {
  if (!(v instanceof cbor.Tagged) || v.tag !== tag) throw new Error(`expected CBOR tag ${tag}`);
  return v.value;
};

// TLS 1.2 PRF (RFC 5246, 5) with HMAC-SHA256, first `length` bytes.
function prf(secret, labelAndSeed, length) {
  let a = labelAndSeed;
  let out = Buffer.alloc(0);
  while (out.length < length) {
    a = createHmac('sha256', secret).update(a).digest();
    out = Buffer.concat([out, createHmac('sha256', secret).update(a).update(labelAndSeed).digest()]);
  }
  return out.subarray(0, length);
}

// COSE_Encrypt (tag 96): [h'', {1: -65534, 5: iv}, nil, [[h'', {1: -3, 4: kid, -20: salt}, wrapped]]]
function decrypt(ciphertext, encryptionInfo, master, classId) {
  const [, unprotectedHeader, , recipients] = untag(cbor.decodeFirstSync(encryptionInfo), 96);
  const iv = get(unprotectedHeader, 5);
  const [, recipientHeader, wrapped] = recipients[0];
  const salt = get(recipientHeader, -20);
  const kek = prf(master, Buffer.concat([Buffer.from('SecureOTA update KEK v1'), salt, classId]), 16);
  const unwrap = createDecipheriv('id-aes128-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const cek = Buffer.concat([unwrap.update(wrapped), unwrap.final()]);
  const ctr = createDecipheriv('aes-128-ctr', cek, iv);
  return Buffer.concat([ctr.update(ciphertext), ctr.final()]);
}

const result = {};
try {
  const envelope = untag(cbor.decodeFirstSync(readFileSync(file)), 107);
  const auth = cbor.decodeFirstSync(get(envelope, 2));
  const manifestBytes = get(envelope, 3);
  const [digestBstr, sign1Bstr] = auth;
  const [alg, digest] = cbor.decodeFirstSync(digestBstr);
  result.digestAlgorithm = alg;
  result.manifestDigestOk = alg === -16 && sha256(cbor.encode(manifestBytes)).equals(digest);

  const [prot, , payload, signature] = untag(cbor.decodeFirstSync(sign1Bstr), 18);
  result.signatureAlgorithm = get(cbor.decodeFirstSync(prot), 1);
  const sigStructure = cbor.encode(['Signature1', prot, Buffer.alloc(0), digestBstr]);
  const spki = createPublicKey(readFileSync(pubPem)).export({ type: 'spki', format: 'der' });
  const point = spki.subarray(spki.length - 65); // uncompressed P-256 point at the end of the SPKI
  result.signatureOk = payload === null && result.signatureAlgorithm === -7
    && p256.verify(signature, sigStructure, point, { prehash: true, lowS: false });

  const manifest = cbor.decodeFirstSync(manifestBytes);
  result.sequenceNumber = Number(get(manifest, 2));
  const common = cbor.decodeFirstSync(get(manifest, 3));
  result.component = Buffer.from(get(common, 2)[0][0]).toString('utf8');
  const shared = cbor.decodeFirstSync(get(common, 4));
  const params = shared[1];
  result.vendorId = Buffer.from(get(params, 1)).toString('hex');
  result.classId = Buffer.from(get(params, 2)).toString('hex');
  const [, imageDigest] = cbor.decodeFirstSync(get(params, 3));
  result.imageSize = Number(get(params, 14));

  // suit-text (manifest-37, 8.4.4): SUIT_Text_Map = { + tag38-ltag => SUIT_Text_LMap }, a language tag
  // (text string) to that language's map, in which a component identifier (array) maps to its text.
  const textBytes = get(manifest, 23);
  if (textBytes !== undefined) {
    const textMap = cbor.decodeFirstSync(textBytes);
    // the cbor package gives a plain object for a map whose keys are all text strings, a Map otherwise
    const entries = m => m instanceof Map ? [...m.entries()] : m !== null && typeof m === 'object' && !Array.isArray(m) && !Buffer.isBuffer(m) ? Object.entries(m) : null;
    const languages = entries(textMap) ?? [];
    result.textLanguages = languages.map(([tag]) => tag);
    result.textOk = languages.length > 0 && languages.every(([tag, lmap]) => typeof tag === 'string' && entries(lmap) !== null);
    const lmap = result.textOk ? entries(languages[0][1]) : null;
    const componentText = lmap ? lmap.find(([k]) => Array.isArray(k)) : undefined;
    const fields = componentText ? entries(componentText[1]) : null;
    result.textVersion = fields ? (fields.find(([k]) => Number(k) === 6) ?? [])[1] : undefined;
  }

  let image = get(envelope, '#image');
  const install = cbor.decodeFirstSync(get(manifest, 20));
  const encryptionInfo = get(install[1], 19);
  result.encrypted = encryptionInfo !== undefined;
  result.payloadSizeOk = image.length === result.imageSize;
  if (result.encrypted && masterFile) {
    image = decrypt(image, encryptionInfo, Buffer.from(readFileSync(masterFile, 'utf8').trim(), 'hex'), get(params, 2));
    result.decrypted = true;
  }
  // An encrypted payload's digest is of the plaintext: without the secret only its size is checked.
  result.payloadDigestOk = result.encrypted && !masterFile ? null : sha256(image).equals(imageDigest);
  const ok = result.manifestDigestOk && result.signatureOk && result.payloadSizeOk && result.payloadDigestOk !== false && result.textOk !== false;
  console.log(JSON.stringify({ ok, ...result }));
  process.exit(ok ? 0 : 1);
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e.message || e), ...result }));
  process.exit(1);
}
