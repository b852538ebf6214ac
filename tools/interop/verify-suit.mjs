// Independent check of a SUIT data set made by update-tool: decodes it with npm's `cbor`, checks the
// manifest digest with node's SHA-256, verifies the COSE_Sign1 ES256 signature with @noble/curves,
// and compares the payload's SHA-256 and size with the manifest's image-digest and image-size.
// Given keys, it also opens the encryption: with the master secret the A128KW recipient (KEK by the
// TLS 1.2 PRF from node's HMAC), with the class private key the ECDH-ES + A128KW recipient (node's
// ECDH, node's HKDF over a COSE_KDF_Context encoded by npm's cbor); each recipient a key was given for
// is unwrapped (node's id-aes128-wrap), all must give the same content key, which decrypts (node's
// aes-128-ctr) before the digest is checked. Then it runs the command sequences (shared, install,
// validate) as a SUIT processor does: components, the fetch into one and the copy that decrypts into the other.
// None of this project's code is used.
// A detached payload (install's uri an absolute URI) is what --payload FILE holds: this processor's
// fetch of that uri reads the file, as a device's HTTP fetch would read the server.
// suit-condition-version (draft-ietf-suit-update-management, condition and parameter 28) compares the
// current component's installed version, given as --installed COMPONENT=VERSION (e.g. nanoclr=1.12.0),
// with the parameter's [comparison-type, [+ int]]; a component with no installed version fails it.
// Usage: node verify-suit.mjs FILE.suit VENDOR.pub.pem [MASTER.hex] [CLASS.key.pem] [--payload FILE] [--installed C=V]
// Prints one JSON line; exit 0 only if every check passed.
import { readFileSync } from 'node:fs';
import { createHash, createHmac, createDecipheriv, createPublicKey, createPrivateKey, diffieHellman, hkdfSync } from 'node:crypto';
import cbor from 'cbor';
import { p256 } from '@noble/curves/nist.js';

const args = process.argv.slice(2);
// --payload FILE (the one detached payload) or --payload URI=FILE (one per detached payload), repeatable
const payloads = [];
for (let at = args.indexOf('--payload'); at >= 0; at = args.indexOf('--payload')) payloads.push(args.splice(at, 2)[1]);
const payloadFor = (uri) => {
  const exact = payloads.find(p => p.startsWith(uri + '='));
  if (exact) return exact.slice(uri.length + 1);
  const plain = payloads.filter(p => !/^https?:\/\//.test(p));
  return plain.length === 1 ? plain[0] : undefined;
};
const payloadFile = payloads.length > 0;
const installed = new Map();
for (let at = args.indexOf('--installed'); at >= 0; at = args.indexOf('--installed')) {
  const [name, version] = args.splice(at, 2)[1].split('=');
  installed.set(name, version.split('.').map(Number));
}
// update-management's comparison types: 1 greater, 2 greater-equal, 3 equal, 4 lesser-equal, 5 lesser;
// the arrays compare part by part, a missing part counting as 0.
const compareVersions = (have, want) => {
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    const d = (have[i] ?? 0) - (want[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
};
const versionHolds = (type, order) => [null, order > 0, order >= 0, order === 0, order <= 0, order < 0][type];
const [file, pubPem, ...keyFiles] = args;
const keyText = keyFiles.map(f => readFileSync(f, 'utf8'));
const classKeyPem = keyText.find(t => t.includes('-----BEGIN'));
const masterHex = keyText.find(t => !t.includes('-----BEGIN'));
const masterFile = masterHex !== undefined || classKeyPem !== undefined;
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

const unwrap = (kek, wrapped) => {
  const d = createDecipheriv('id-aes128-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  return Buffer.concat([d.update(wrapped), d.final()]);
};

// ECDH-ES + A128KW (RFC 9053 6.3; draft-ietf-suit-firmware-encryption-24 5.2): Z by ECDH with the
// sender's ephemeral key, KEK = HKDF-SHA256(no salt, Z, COSE_KDF_Context, 16).
function esDhKek(recipientProtected, ephemeral, classPem) {
  const b64 = b => Buffer.from(b).toString('base64url');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64(get(ephemeral, -2)), y: b64(get(ephemeral, -3)) }, format: 'jwk' });
  const z = diffieHellman({ privateKey: createPrivateKey(classPem), publicKey });
  const context = cbor.encode([-3, [null, null, null], [null, null, null], [128, recipientProtected, Buffer.from('SUIT Payload Encryption')]]);
  return Buffer.from(hkdfSync('sha256', z, Buffer.alloc(0), context, 16));
}

// COSE_Encrypt (tag 96): [h'', {1: -65534, 5: iv}, nil, [recipient, ...]], recipients
// [h'', {1: -3, 4: kid, -20: salt}, wrapped] and [<<{1: -29}>>, {-1: ephemeral key}, wrapped].
function decrypt(ciphertext, encryptionInfo, master, classPem, classId) {
  const [, unprotectedHeader, , recipients] = untag(cbor.decodeFirstSync(encryptionInfo), 96);
  const iv = get(unprotectedHeader, 5);
  const ceks = [];
  result.recipients = [];
  for (const [prot, header, wrapped] of recipients) {
    const alg = prot.length ? get(cbor.decodeFirstSync(prot), 1) : get(header, 1);
    result.recipients.push(alg);
    if (alg === -3 && master) {
      const kek = prf(master, Buffer.concat([Buffer.from('SecureOTA update KEK v1'), get(header, -20), classId]), 16);
      ceks.push(unwrap(kek, wrapped));
    } else if (alg === -29 && classPem) {
      ceks.push(unwrap(esDhKek(prot, get(header, -1), classPem), wrapped));
    }
  }
  result.recipientsOpened = ceks.length;
  if (ceks.length === 0) throw new Error('no recipient for the keys given');
  if (master && !recipients.some(([p, h]) => !p.length && get(h, 1) === -3)) throw new Error('a master secret was given but there is no A128KW recipient');
  if (classPem && !recipients.some(([p]) => p.length)) throw new Error('a class key was given but there is no ECDH-ES recipient');
  if (!ceks.every(c => c.equals(ceks[0]))) throw new Error('the recipients wrap different content keys');
  const ctr = createDecipheriv('aes-128-ctr', ceks[0], iv);
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
  // the first override-parameters of the shared sequence (component 0's, after a set-component-index)
  const params = shared[shared.indexOf(20) + 1];
  result.vendorId = Buffer.from(get(params, 1)).toString('hex');
  result.classId = Buffer.from(get(params, 2)).toString('hex');
  const [, imageDigest] = cbor.decodeFirstSync(get(params, 3));
  result.imageSize = Number(get(params, 14));

  // suit-text (manifest-37, 8.4.4): SUIT_Text_Map = { + tag38-ltag => SUIT_Text_LMap }, a language tag
  // (text string) to that language's map, in which a component identifier (array) maps to its text.
  // Severed (8.4.4: SHOULD), the manifest holds a SUIT_Digest of the bstr-wrapped envelope member 23.
  let textBytes = get(manifest, 23);
  if (Array.isArray(textBytes)) {
    const severed = get(envelope, 23);
    const [alg, want] = textBytes;
    result.textSevered = true;
    if (alg !== -16 || !Buffer.isBuffer(severed) || !sha256(cbor.encode(severed)).equals(want)) throw new Error('severed text missing or not the one the manifest names');
    textBytes = severed;
  }
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

  const install = cbor.decodeFirstSync(get(manifest, 20));
  // The install sequence's parameters, whichever component they are set for: the uri of the fetch and,
  // for an encrypted image, the encryption-info of the copy that decrypts it.
  const installParams = new Map();
  for (let i = 0; i + 1 < install.length; i += 2) {
    if (install[i] !== 20) continue;
    const m = install[i + 1] instanceof Map ? install[i + 1] : new Map(Object.entries(install[i + 1]).map(([k, v]) => [Number(k), v]));
    for (const [k, v] of m) installParams.set(Number(k), v);
  }
  const encryptionInfo = installParams.get(19);
  // The payload the install sequence's uri names: an integrated one ('#…') from the envelope, a
  // detached one (an absolute URI) from --payload.
  const fetchUri = (uri) => {
    if (typeof uri === 'string' && uri.startsWith('#')) return get(envelope, uri) ?? null;
    if (typeof uri === 'string' && /^https?:\/\/[^/?#\s]/.test(uri) && payloadFor(uri)) return readFileSync(payloadFor(uri));
    return null;
  };
  result.detached = !String(installParams.get(21)).startsWith('#');
  // Firmware and application together (two target components, no ciphertext one): each image is
  // checked by the processing below (fetch into its component, image-match there).
  const componentNames = get(common, 2).map(c => Buffer.from(c[0]).toString());
  result.components = componentNames;
  const pair = componentNames[0] === 'nanoclr' && componentNames[1] === 'deploy';
  let image = pair ? fetchUri(installParams.get(21)) : fetchUri(installParams.get(21));
  if (!image) throw new Error(`the payload ${installParams.get(21)} is ${result.detached ? 'detached: pass it with --payload FILE' : 'not in the envelope'}`);
  result.encrypted = encryptionInfo !== undefined;
  result.payloadSizeOk = pair || image.length === result.imageSize;
  if (result.encrypted && masterFile) {
    image = decrypt(image, encryptionInfo, masterHex === undefined ? null : Buffer.from(masterHex.trim(), 'hex'), classKeyPem, get(params, 2));
    result.decrypted = true;
  }
  // An encrypted payload's digest is of the plaintext: without the secret only its size is checked.
  result.payloadDigestOk = pair ? null : result.encrypted && !masterFile ? null : sha256(image).equals(imageDigest);

  // Processing as a SUIT processor does (manifest-37 section 6): run the shared sequence, then install,
  // then validate, command by command, with per-component parameters and a current component index
  // (set-component-index; 0 at the start); directive-fetch stores the payload its uri names ('#…' is in
  // the envelope) in the current component; directive-copy stores the source component's content in the
  // current one, decrypting it when the current component has encryption-info (firmware-encryption-24
  // section 8: decryption in copy); condition-image-match compares what a component holds with its
  // image-digest and image-size. Any command or parameter this processor does not know fails the run.
  if (!result.encrypted || masterFile) {
    const components = get(common, 2);
    const state = { index: 0, params: components.map(() => new Map()), stored: components.map(() => null) };
    const secret = masterHex === undefined ? null : Buffer.from(masterHex.trim(), 'hex');
    const run = (seqBytes, name) => {
      const seq = cbor.decodeFirstSync(seqBytes);
      state.index = 0;
      for (let i = 0; i < seq.length; i += 2) {
        const [command, arg] = [seq[i], seq[i + 1]];
        const p = state.params[state.index];
        if (command === 12) { // set-component-index
          if (!Number.isInteger(arg) || arg < 0 || arg >= components.length) throw new Error(`${name}: component index ${arg}`);
          state.index = arg;
        } else if (command === 20) { // override-parameters
          const m = arg instanceof Map ? arg : new Map(Object.entries(arg).map(([k, v]) => [Number(k), v]));
          for (const [k, v] of m) {
            if (![1, 2, 3, 14, 19, 21, 22, 28].includes(Number(k))) throw new Error(`${name}: unknown parameter ${k}`);
            p.set(Number(k), v);
          }
        } else if (command === 1 || command === 2) { // vendor / class identifier conditions
          const want = command === 1 ? get(params, 1) : get(params, 2);
          if (!p.has(command) || !Buffer.from(p.get(command)).equals(Buffer.from(want))) throw new Error(`${name}: condition ${command} failed`);
        } else if (command === 28) { // condition-version: the installed version of the current component
          if (!p.has(28)) throw new Error(`${name}: condition-version without suit-parameter-version`);
          const [type, want] = cbor.decodeFirstSync(p.get(28));
          const id = Buffer.from(components[state.index][0]).toString();
          const have = installed.get(id);
          if (!have) throw new Error(`${name}: condition-version: no installed version of ${id} given (--installed ${id}=VERSION)`);
          const holds = versionHolds(type, compareVersions(have, want));
          if (holds === undefined || holds === null) throw new Error(`${name}: condition-version: unknown comparison type ${type}`);
          if (!holds) throw new Error(`${name}: condition-version failed: ${id} ${have.join('.')} against [${type}, ${want.join('.')}]`);
          result.versionChecked = `${id} ${have.join('.')}`;
        } else if (command === 21) { // fetch
          const bytes = fetchUri(p.get(21));
          if (!bytes) throw new Error(`${name}: fetch of ${p.get(21)}: nothing there`);
          state.stored[state.index] = bytes;
        } else if (command === 22) { // copy
          const from = p.get(22);
          if (!Number.isInteger(from) || state.stored[from] === null || from === state.index) throw new Error(`${name}: copy from component ${from}: nothing there`);
          state.stored[state.index] = p.has(19) ? decrypt(state.stored[from], p.get(19), secret, classKeyPem, get(params, 2)) : state.stored[from];
          result.decryptedInCopy = p.has(19);
        } else if (command === 3) { // image-match
          if (!p.has(3)) throw new Error(`${name}: image-match without image-digest`);
          const [, want] = cbor.decodeFirstSync(p.get(3));
          const held = state.stored[state.index];
          if (held === null || held.length !== Number(p.get(14)) || !sha256(held).equals(want)) throw new Error(`${name}: image-match failed`);
        } else {
          throw new Error(`${name}: command ${command} is not handled by this processor`);
        }
      }
    };
    try {
      run(get(common, 4), 'shared');
      run(get(manifest, 20), 'install');
      run(get(manifest, 7), 'validate');
      result.processed = true;
    } catch (e) {
      result.processed = false;
      result.processError = String(e.message || e);
    }
  }
  const ok = result.manifestDigestOk && result.signatureOk && result.payloadSizeOk && result.payloadDigestOk !== false && result.textOk !== false && result.processed !== false;
  console.log(JSON.stringify({ ok, ...result }));
  process.exit(ok ? 0 : 1);
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e.message || e), ...result }));
  process.exit(1);
}
