/*
 * Every refusal of the boot stage (docs/boot-protocol.md, "Rejections"): each leaves the running image
 * untouched, clears the request, and records a reason the agent can report. Also: forged boot-state
 * records are ignored, a forged confirmation cannot move the anti-rollback counter, a corrupted saved
 * image is never reverted into place, consecutive updates work, and a boot with nothing pending
 * reads only the boot-state area. Usage: test_reject FIXTURES_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>

#include "bootstage/bs_state.h"
#include "bootstage/bs_result.h"
#include "bootstage/crc32.h"
#include "bootstage/bs_suit.h"
#include "sim.h"

static const char *fixtures;
static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

static struct sim dev;
static uint8_t old_region[65 * SIM_SECTOR];

static void fresh(void)
{
    sim_free(&dev);
    sim_init(&dev, fixtures, 4);
    memcpy(old_region, dev.flash.mem + dev.flash.area[BS_AREA_DEPLOY].offset, sizeof old_region);
}

static int target_untouched(void)
{
    return memcmp(dev.flash.mem + dev.flash.area[BS_AREA_DEPLOY].offset, old_region, sizeof old_region) == 0;
}

static struct bs_decision boot(void) { return sim_boot_uncut(&dev); }

static void expect_rejected(const char *what, int reason)
{
    struct bs_decision d = boot();
    struct bs_state st;
    bs_state_load(&dev.hp.port, &st);
    CHECK(d.action == BS_ACTION_REJECTED, "%s: action %d, expected rejected", what, d.action);
    CHECK(d.reason == reason, "%s: reason %d (%s), expected %d (%s)", what, d.reason, bs_reason_text(d.reason), reason, bs_reason_text(reason));
    CHECK(target_untouched(), "%s: the running image changed", what);
    CHECK(st.cur.state == BS_STATE_IDLE && st.cur.reason == reason, "%s: request not cleared with its reason (state %d reason %d)", what, st.cur.state, st.cur.reason);
    CHECK(dev.hp.counter == 6, "%s: counter moved to %llu", what, (unsigned long long)dev.hp.counter);
    CHECK(dev.flash.violations == 0, "%s: flash violations", what);
    d = boot();
    CHECK(d.action == BS_ACTION_NOTHING, "%s: the next boot acted again (%d)", what, d.action);
}

static uint8_t *staging(uint32_t offset) { return dev.flash.mem + dev.flash.area[BS_AREA_STAGING].offset + offset; }

static int test_rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) out[i] = (unsigned char)rand();
    return 0;
}

/* Re-computes the manifest digest and signs again with the vendor key, after a test changed the manifest
 * in place: a genuinely signed data set with the changed values. */
static void resign(struct bs_suit_envelope *env)
{
    uint8_t digest[32];
    mbedtls_sha256_ret(env->manifest_wrapped, env->manifest_wrapped_len, digest, 0);
    memcpy((uint8_t *)env->auth_digest, digest, 32);
    /* Sig_structure = 84 6a "Signature1" 43 a1 01 26 40 58 24 <SUIT_Digest> */
    uint8_t tbs[12 + 4 + 1 + 2 + 36];
    size_t n = 0;
    memcpy(tbs, "\x84\x6aSignature1", 12); n = 12;
    memcpy(tbs + n, "\x43\xa1\x01\x26\x40\x58\x24", 7); n += 7;
    memcpy(tbs + n, env->digest_encoded, 36); n += 36;
    mbedtls_sha256_ret(tbs, n, digest, 0);
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    char path[1024];
    snprintf(path, sizeof path, "%s/vendor.key.pem", fixtures);
    if (mbedtls_pk_parse_keyfile(&pk, path, NULL) != 0) exit(2);
    mbedtls_mpi r, s;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    mbedtls_ecp_keypair *key = mbedtls_pk_ec(pk);
    if (mbedtls_ecdsa_sign(&key->grp, &r, &s, &key->d, digest, 32, test_rng, NULL) != 0) exit(2);
    mbedtls_mpi_write_binary(&r, (uint8_t *)env->signature[0], 32);
    mbedtls_mpi_write_binary(&s, (uint8_t *)env->signature[0] + 32, 32);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    mbedtls_pk_free(&pk);
}

/* Replaces every `from` in the manifest by `to` (same length). */
/* An encrypted data set as the agent stages it: its header, then the plaintext image (new.bin). */
struct encrypted_set {
    uint8_t *envelope, *plain;
    size_t envelope_len, plain_len;
    uint32_t header_len, payload_len;
};

static struct encrypted_set load_encrypted(const char *name)
{
    struct encrypted_set e;
    e.envelope = sim_read_file(fixtures, name, &e.envelope_len);
    e.plain = sim_read_file(fixtures, "new.bin", &e.plain_len);
    host_agent_split(e.envelope, e.envelope_len, &e.header_len, &e.payload_len);
    return e;
}

static void stage_encrypted(const struct encrypted_set *e, const uint8_t *payload, size_t len)
{
    struct host_staged st;
    fresh();
    host_agent_stage_detached(&dev.hp.port, e->envelope, e->header_len, payload, len, &st);
}

static void replace_in_manifest(struct bs_suit_envelope *env, const char *from, const char *to)
{
    uint8_t *m = (uint8_t *)env->manifest;
    size_t k = strlen(from);
    for (size_t i = 0; i + k <= env->manifest_len; i++) {
        if (memcmp(m + i, from, k) == 0) memcpy(m + i, to, k);
    }
}

/* Replaces every "deploy" in the manifest by "bootld" and re-signs with the vendor key: a genuinely
 * signed data set for a component this device does not have. */
static void stage_wrong_component(void)
{
    size_t len;
    uint8_t *data = sim_read_file(fixtures, "v7.suit", &len);
    uint32_t header_length, payload_length;
    host_agent_split(data, len, &header_length, &payload_length);
    struct bs_suit_envelope env;
    if (bs_suit_read(data, header_length, &env) != 0) exit(2);
    replace_in_manifest(&env, "deploy", "bootld");
    resign(&env);
    struct host_staged st;
    if (host_agent_stage(&dev.hp.port, data, len, &st) != 0) exit(2);
    free(data);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_reject FIXTURES_DIR\n");
        return 2;
    }
    fixtures = argv[1];
    sim_init(&dev, fixtures, 4);

    fresh(); sim_stage(&dev, fixtures, "badsig.suit"); expect_rejected("signed with another key", BS_REASON_BAD_SIGNATURE);
    fresh(); sim_stage(&dev, fixtures, "rollback.suit"); expect_rejected("older sequence number", BS_REASON_ROLLBACK);
    fresh(); sim_stage(&dev, fixtures, "oversize.suit"); expect_rejected("image larger than its partition", BS_REASON_IMAGE_TOO_LARGE);
    fresh(); sim_stage(&dev, fixtures, "wrongclass.suit"); expect_rejected("another device class", BS_REASON_WRONG_CLASS);
    fresh(); sim_stage(&dev, fixtures, "wrongvendor.suit"); expect_rejected("another vendor", BS_REASON_WRONG_VENDOR);
    fresh(); stage_wrong_component(); expect_rejected("unknown component", BS_REASON_WRONG_COMPONENT);

    fresh(); sim_stage(&dev, fixtures, "v7.suit"); staging(SIM_SECTOR + 5000)[0] ^= 0x01;
    expect_rejected("image modified after staging", BS_REASON_PAYLOAD_DIGEST_MISMATCH);

    fresh(); sim_stage(&dev, fixtures, "v7.suit"); memset(staging(64 * SIM_SECTOR), 0xFF, SIM_SECTOR);
    expect_rejected("truncated image (last sector missing)", BS_REASON_PAYLOAD_DIGEST_MISMATCH);

    {
        fresh(); sim_stage(&dev, fixtures, "v7.suit");
        uint32_t hdr, cap;
        bs_staging_header_region(&dev.hp.port, &hdr, &cap);
        staging(hdr)[0] = 100; staging(hdr)[1] = 0; /* header length cut to 100 bytes */
        expect_rejected("truncated envelope", BS_REASON_TRUNCATED);
    }
    {
        fresh(); sim_stage(&dev, fixtures, "v7.suit");
        uint32_t hdr, cap;
        bs_staging_header_region(&dev.hp.port, &hdr, &cap);
        staging(hdr + 4 + 200)[0] ^= 0x10; /* inside the manifest */
        expect_rejected("manifest modified", BS_REASON_MANIFEST_DIGEST_MISMATCH);
    }
    {
        fresh(); struct host_staged s = sim_stage(&dev, fixtures, "v7.suit");
        bs_state_request_install(&dev.hp.port, BS_AREA_DEPLOY, s.image_size, 8); /* the request lies */
        expect_rejected("request that does not match the data set", BS_REASON_BAD_REQUEST);
    }

    /* Detached payloads: the whole envelope staged as the header, the fetched image as the payload. */
    {
        size_t elen, plen, vlen;
        uint8_t *envelope = sim_read_file(fixtures, "v7-detached.suit", &elen);
        uint8_t *payload = sim_read_file(fixtures, "v7-detached.bin", &plen);
        uint8_t *v7 = sim_read_file(fixtures, "v7.suit", &vlen);
        struct host_staged st;
        fresh();
        CHECK(host_agent_stage_detached(&dev.hp.port, envelope, elen, payload, plen, &st) == 0, "staging the detached data set");
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.seq == 7, "detached v7 not installed (action %d reason %d)", d.action, d.reason);
        CHECK(memcmp(dev.flash.mem + dev.flash.area[BS_AREA_DEPLOY].offset, payload, plen) == 0, "detached v7: the target is not the payload");

        fresh(); host_agent_stage_detached(&dev.hp.port, envelope, elen, payload, plen, &st);
        staging(SIM_SECTOR + 77)[0] ^= 0x01;
        expect_rejected("detached payload modified", BS_REASON_PAYLOAD_DIGEST_MISMATCH);

        /* The envelope with bytes after it (the staged header must be the envelope and nothing else). */
        uint8_t *longer = malloc(elen + 1);
        memcpy(longer, envelope, elen);
        longer[elen] = 0x00;
        fresh(); host_agent_stage_detached(&dev.hp.port, longer, elen + 1, payload, plen, &st);
        expect_rejected("detached envelope with a trailing byte", BS_REASON_MALFORMED);
        free(longer);

        /* The integrated data set's header alone (payload member present, its bytes missing) with the image. */
        uint32_t hl, pl;
        host_agent_split(v7, vlen, &hl, &pl);
        fresh(); host_agent_stage_detached(&dev.hp.port, v7, hl, v7 + hl, pl, &st);
        d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED, "the integrated header staged beside its image installs as before (%d)", d.action);

        /* Genuinely signed detached envelopes whose uri is not an absolute http(s) URI with a host:
         * a fragment (it would name an integrated payload that is not there), another scheme, no host. */
        const char *bad[][2] = {{"https://updates", "#ttps://updates"}, {"https://updates", "ftps://updates"}, {"https://updates", "https:///pdates"}};
        for (int i = 0; i < 3; i++) {
            uint8_t *copy = malloc(elen);
            memcpy(copy, envelope, elen);
            struct bs_suit_envelope env;
            if (bs_suit_read(copy, elen, &env) != 0) exit(2);
            replace_in_manifest(&env, bad[i][0], bad[i][1]);
            resign(&env);
            fresh(); host_agent_stage_detached(&dev.hp.port, copy, elen, payload, plen, &st);
            expect_rejected(bad[i][1], BS_REASON_MISSING_FIELD);
            free(copy);
        }
        free(envelope);
        free(payload);
        free(v7);
    }
    {
        size_t elen, plen;
        uint8_t *envelope = sim_read_file(fixtures, "v7-detached-http.suit", &elen);
        uint8_t *payload = sim_read_file(fixtures, "v7-detached-http.bin", &plen);
        struct host_staged st;
        fresh(); host_agent_stage_detached(&dev.hp.port, envelope, elen, payload, plen, &st);
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED, "detached over plain http: action %d reason %d", d.action, d.reason);
        free(envelope);
        free(payload);
    }

    /* Encrypted: two components (fetched into "ciphertext", decrypted by the copy into the target); the
     * agent stages the header and the plaintext, the boot stage checks the plaintext against the digest. */
    {
        struct encrypted_set e = load_encrypted("v7-encrypted.suit");
        stage_encrypted(&e, e.plain, e.plain_len);
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.seq == 7, "encrypted data set with its plaintext staged: action %d reason %d", d.action, d.reason);
        stage_encrypted(&e, e.envelope + e.header_len, e.payload_len); /* the ciphertext staged instead */
        expect_rejected("ciphertext staged", BS_REASON_PAYLOAD_DIGEST_MISMATCH);
        /* The copy from "ciphertext" taken out of a genuinely signed manifest: not the profile's shape. */
        struct bs_suit_envelope env;
        if (bs_suit_read(e.envelope, e.header_len, &env) != 0) exit(2);
        uint8_t *m = (uint8_t *)env.manifest;
        for (size_t i = 0; i + 4 <= env.manifest_len; i++) { /* "16 0f 03 0f" = copy, report; image-match, report */
            if (m[i] == 0x16 && m[i + 1] == 0x0F && m[i + 2] == 0x03 && m[i + 3] == 0x0F) { m[i] = 0x15; break; } /* copy -> fetch */
        }
        resign(&env);
        stage_encrypted(&e, e.plain, e.plain_len);
        expect_rejected("encrypted manifest without the copy", BS_REASON_MISSING_FIELD);
        free(e.envelope);
        free(e.plain);
    }

    /* Firmware and application together: both land, or nothing moves. */
    {
        size_t elen, flen, alen, olen;
        uint8_t *env = sim_read_file(fixtures, "pair7.suit", &elen);
        uint8_t *fw = sim_read_file(fixtures, "pair-nanoclr.bin", &flen);
        uint8_t *app = sim_read_file(fixtures, "pair-deploy.bin", &alen);
        uint8_t *oldfw = sim_read_file(fixtures, "fw-old.bin", &olen);
        /* (re-evaluated after every fresh(), which reallocates the flash: ASan found the stale pointers) */
#define nanoclr (dev.flash.mem + dev.flash.area[BS_AREA_NANOCLR].offset)
#define deploy (dev.flash.mem + dev.flash.area[BS_AREA_DEPLOY].offset)
        struct host_staged st;
        fresh(); memcpy(nanoclr, oldfw, olen);
        CHECK(host_agent_stage_pair(&dev.hp.port, env, elen, fw, flen, app, alen, &st) == 0, "staging the pair");
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.seq == 7 && d.component == BS_COMPONENT_PAIR, "pair: action %d component %d reason %d", d.action, d.component, d.reason);
        CHECK(memcmp(nanoclr, fw, flen) == 0 && memcmp(deploy, app, alen) == 0, "pair: both images in place");
        d = boot(); /* not confirmed: both go back */
        CHECK(d.action == BS_ACTION_REVERTED, "pair revert: action %d reason %d", d.action, d.reason);
        CHECK(memcmp(nanoclr, oldfw, olen) == 0 && target_untouched(), "pair revert: both old images back");
        fresh(); host_agent_stage_pair(&dev.hp.port, env, elen, fw, flen, app, alen, &st);
        CHECK(boot().action == BS_ACTION_INSTALLED && sim_confirm(&dev), "pair install and confirm");
        d = boot();
        CHECK(d.action == BS_ACTION_CONFIRMED && dev.hp.counter == 7, "pair confirm: action %d counter %llu", d.action, (unsigned long long)dev.hp.counter);

        /* The application edits the second size in the boot stage's TESTING record (CRC fixed up): the MAC
         * covers it, so the record is ignored and the INSTALLING record under it resumes and finishes. */
        fresh(); memcpy(nanoclr, oldfw, olen); host_agent_stage_pair(&dev.hp.port, env, elen, fw, flen, app, alen, &st);
        CHECK(boot().action == BS_ACTION_INSTALLED, "pair install before the forgery");
        {
            struct bs_state bs;
            bs_state_load(&dev.hp.port, &bs);
            uint8_t *bank = dev.flash.mem + dev.flash.area[BS_AREA_BOOTSTATE].offset + (uint32_t)bs.cur_bank * (dev.flash.area[BS_AREA_BOOTSTATE].size / 2);
            /* the bank's record: the last one appended before the first erased slot */
            for (uint32_t slot = 1; slot < SIM_SECTOR / BS_RECORD_SIZE
                 && (bank[BS_RECORD_SIZE] != 0xFF || memcmp(bank + BS_RECORD_SIZE, bank + BS_RECORD_SIZE + 1, BS_RECORD_SIZE - 1) != 0); slot++)
                bank += BS_RECORD_SIZE;
            CHECK(bank[8] == BS_STATE_TESTING, "the current record found is the TESTING one (state %d)", bank[8]);
            bank[88] ^= 0x10; /* image_size2 */
            uint32_t crc = bs_crc32(bank, 124);
            for (int i = 0; i < 4; i++) bank[124 + i] = (uint8_t)(crc >> (8 * i));
            struct bs_state after;
            bs_state_load(&dev.hp.port, &after);
            CHECK(after.cur.state != BS_STATE_TESTING || after.cur.image_size2 == bs.cur.image_size2, "a TESTING record with a changed second size is not accepted");
        }
        d = boot();
        CHECK(d.action != BS_ACTION_HALT && memcmp(deploy, app, alen) == 0 && memcmp(nanoclr, fw, flen) == 0, "after the forgery both new images are in place (action %d)", d.action);

        fresh(); host_agent_stage_pair(&dev.hp.port, env, elen, fw, flen, app, alen, &st);
        bs_state_request_install_pair(&dev.hp.port, BS_COMPONENT_PAIR, (uint32_t)flen, (uint32_t)alen + 4096, 7); /* the request lies about the application */
        expect_rejected("a pair request with another application size", BS_REASON_BAD_REQUEST);

        fresh(); host_agent_stage_pair(&dev.hp.port, env, elen, app, alen, fw, flen, &st); /* the payloads swapped */
        expect_rejected("pair with its payloads swapped", BS_REASON_BAD_REQUEST);
        fresh(); host_agent_stage_pair(&dev.hp.port, env, elen, fw, flen, app, alen, &st);
        staging(SIM_SECTOR * (1 + (uint32_t)((flen + SIM_SECTOR - 1) / SIM_SECTOR)) + 100)[0] ^= 1; /* the application modified */
        expect_rejected("pair with a modified application", BS_REASON_PAYLOAD_DIGEST_MISMATCH);
        fresh(); host_agent_stage_pair(&dev.hp.port, env, elen, fw, flen, app, alen, &st);
        bs_state_request_install(&dev.hp.port, BS_AREA_NANOCLR, (uint32_t)flen, 7); /* asks for the firmware alone */
        expect_rejected("a request for one image of a pair", BS_REASON_BAD_REQUEST);
        /* Encrypted (three components; each image fetched into "ciphertext" and decrypted by its copy): the
         * agent stages the plaintext images, the boot stage installs them together. */
        size_t xlen;
        uint8_t *xenv = sim_read_file(fixtures, "pair7-encrypted.suit", &xlen);
        fresh(); memcpy(nanoclr, oldfw, olen);
        CHECK(host_agent_stage_pair(&dev.hp.port, xenv, xlen, fw, flen, app, alen, &st) == 0, "staging the encrypted pair");
        d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.component == BS_COMPONENT_PAIR, "encrypted pair: action %d reason %d", d.action, d.reason);
        CHECK(memcmp(nanoclr, fw, flen) == 0 && memcmp(deploy, app, alen) == 0, "encrypted pair: both plaintext images in place");
        free(xenv);
        free(env); free(fw); free(app); free(oldfw);
#undef nanoclr
#undef deploy
    }

    /* A firmware dependency (docs/data-set-format.md 1c): the boot stage accepts the shape (the agent
     * evaluates it); a version condition taken out of the signed manifest is not the profile. */
    {
        fresh(); sim_stage(&dev, fixtures, "v7-requires.suit");
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.seq == 7, "firmware dependency: action %d reason %d", d.action, d.reason);
        struct encrypted_set e = load_encrypted("v7-requires-encrypted.suit");
        stage_encrypted(&e, e.plain, e.plain_len);
        d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.seq == 7, "encrypted, with a firmware dependency: action %d reason %d", d.action, d.reason);
        struct bs_suit_envelope env;
        if (bs_suit_read(e.envelope, e.header_len, &env) != 0) exit(2);
        uint8_t *m = (uint8_t *)env.manifest;
        for (size_t i = 0; i + 3 <= env.manifest_len; i++) { /* "18 1c 0f" = condition-version, report */
            if (m[i] == 0x18 && m[i + 1] == 0x1C && m[i + 2] == 0x0F) { m[i + 1] = 0x18; break; } /* -> 24 device-id */
        }
        resign(&env);
        stage_encrypted(&e, e.plain, e.plain_len);
        expect_rejected("a firmware dependency without its condition", BS_REASON_MISSING_FIELD);
        free(e.envelope);
        free(e.plain);
    }

    /* Severed text: installs; a changed text byte (the severed member no longer matches its digest in the
     * signed manifest) is refused before anything moves. */
    {
        fresh(); sim_stage(&dev, fixtures, "v7-severed.suit");
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.seq == 7, "severed text: action %d reason %d", d.action, d.reason);
        fresh(); struct host_staged s = sim_stage(&dev, fixtures, "v7-severed.suit");
        uint32_t hdr, cap;
        bs_staging_header_region(&dev.hp.port, &hdr, &cap);
        uint8_t *h = staging(hdr + 4);
        for (uint32_t i = s.header_length; i-- > 0;) { /* the last "1.7.0" in the header is the severed text's */
            if (i + 5 <= s.header_length && memcmp(h + i, "1.7.0", 5) == 0) { h[i + 4] = '1'; break; }
        }
        expect_rejected("severed text changed", BS_REASON_SEVERED_MISMATCH);
    }

    /* A record claiming to be the boot stage's but without the right MAC is ignored. */
    {
        fresh();
        struct bs_state st;
        bs_state_load(&dev.hp.port, &st);
        uint8_t forged[BS_RECORD_SIZE];
        memset(forged, 0, sizeof forged);
        memcpy(forged, "BST1", 4); forged[4] = 9; forged[8] = BS_STATE_INSTALLING; forged[9] = BS_AREA_DEPLOY; forged[11] = BS_WRITER_BOOT;
        forged[12] = 65;
        uint32_t crc = bs_crc32(forged, 124);
        for (int i = 0; i < 4; i++) forged[124 + i] = (uint8_t)(crc >> (8 * i));
        memcpy(dev.flash.mem + dev.flash.area[BS_AREA_BOOTSTATE].offset, forged, sizeof forged);
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_NOTHING && target_untouched(), "forged INSTALLING record was acted on (action %d)", d.action);
    }

    /* A confirmation nobody earned cannot move the counter. */
    {
        fresh();
        struct bs_state st;
        bs_state_load(&dev.hp.port, &st);
        struct bs_record rec;
        memset(&rec, 0, sizeof rec);
        rec.state = BS_STATE_CONFIRMED; rec.component = BS_AREA_DEPLOY; rec.image_seq = 1000; rec.image_size = 4096;
        bs_state_write(&dev.hp.port, &st, &rec, BS_WRITER_AGENT);
        struct bs_decision d = boot();
        CHECK(dev.hp.counter == 6 && d.action == BS_ACTION_NOTHING, "forged confirmation: counter %llu, action %d", (unsigned long long)dev.hp.counter, d.action);
    }

    /* The saved old image corrupted while the new one was testing: never revert into unverified bytes. */
    {
        fresh(); sim_stage(&dev, fixtures, "v7.suit");
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.seq == 7, "v7 not installed (%d)", d.action);
        staging(3 * SIM_SECTOR)[10] ^= 0xFF; /* the app scribbles over the saved image */
        d = boot();
        CHECK(d.action == BS_ACTION_KEPT && d.reason == BS_REASON_REVERT_IMPOSSIBLE, "corrupt saved image: action %d reason %d", d.action, d.reason);
        CHECK(dev.hp.counter == 6, "kept image must not advance the counter");
    }

    /* Two updates in a row, each confirmed. */
    {
        fresh(); sim_stage(&dev, fixtures, "v7.suit");
        CHECK(boot().action == BS_ACTION_INSTALLED, "v7 install");
        CHECK(sim_confirm(&dev), "confirm v7");
        struct bs_decision d = boot();
        CHECK(d.action == BS_ACTION_CONFIRMED && dev.hp.counter == 7, "v7 confirm: action %d counter %llu", d.action, (unsigned long long)dev.hp.counter);
        sim_stage(&dev, fixtures, "v8.suit");
        d = boot();
        CHECK(d.action == BS_ACTION_INSTALLED && d.seq == 8, "v8 install: %d", d.action);
        CHECK(sim_confirm(&dev), "confirm v8");
        d = boot();
        CHECK(d.action == BS_ACTION_CONFIRMED && dev.hp.counter == 8, "v8 confirm: counter %llu", (unsigned long long)dev.hp.counter);
        size_t len;
        uint8_t *next = sim_read_file(fixtures, "next.bin", &len);
        CHECK(memcmp(dev.flash.mem + dev.flash.area[BS_AREA_DEPLOY].offset, next, len) == 0, "v8 image not in place");
        free(next);
        sim_stage(&dev, fixtures, "v7.suit");
        d = boot();
        CHECK(d.action == BS_ACTION_REJECTED && d.reason == BS_REASON_ROLLBACK, "re-staging v7 after v8: %d", d.action);

        /* Nothing pending: only the boot-state area is read, at most its two banks' record sectors
         * (issue 14's target: a no-update boot reads <= 2 sectors). */
        host_flash_reset_stats(&dev.flash);
        d = boot();
        CHECK(d.action == BS_ACTION_NOTHING, "idle boot acted");
        CHECK(dev.flash.area_bytes_read[BS_AREA_STAGING] == 0 && dev.flash.area_bytes_read[BS_AREA_DEPLOY] == 0
              && dev.flash.area_bytes_read[BS_AREA_BOOTSTATE] >= 2 * BS_RECORD_SIZE && dev.flash.area_bytes_read[BS_AREA_BOOTSTATE] <= 2 * SIM_SECTOR,
              "idle boot read %ld bytes of boot state, %ld of staging, %ld of deploy", dev.flash.area_bytes_read[BS_AREA_BOOTSTATE],
              dev.flash.area_bytes_read[BS_AREA_STAGING], dev.flash.area_bytes_read[BS_AREA_DEPLOY]);
    }

    sim_free(&dev);
    printf("%d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
