/* msturn_hmac.c - MESSAGE-INTEGRITY verification (RFC 8489 14.5, 14.6, 9.2).
 *
 * Users list credentials in a table: long-term (username, realm, password;
 * key = MD5(username ":" realm ":" password), RFC 8489 9.2.2) or short-term
 * ICE (username fragment, empty realm, password; key = password, 9.1.1).
 * A message that names a USERNAME is checked against the credentials of that
 * user (long-term: same username, and same realm when the message has one;
 * short-term: the fragment before the colon, RFC 8445 7.2.2, names the agent
 * whose password signs the request); with none configured for that user it
 * is not checked.  Responses and indications carry no USERNAME: they are good
 * if any configured key produces their HMAC, and otherwise not checked, since
 * the key may be one nobody configured.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_hmac.h"

#include <epan/uat.h>
#include <wsutil/wsgcrypt.h>
#include <string.h>

typedef struct {
    char *username;
    char *realm;
    char *password;
} credential_t;

static credential_t *credentials;
static unsigned n_credentials;

/* Keys derived once per table change, not per packet. */
typedef struct {
    uint8_t *key;
    size_t  len;
    const credential_t *cred;
} derived_key;
static derived_key *keys;
static unsigned n_keys;

UAT_CSTRING_CB_DEF(msturn_cred, username, credential_t)
UAT_CSTRING_CB_DEF(msturn_cred, realm, credential_t)
UAT_CSTRING_CB_DEF(msturn_cred, password, credential_t)

static void *
cred_copy(void *dst, const void *src, size_t len _U_)
{
    credential_t *d = (credential_t *)dst;
    const credential_t *s = (const credential_t *)src;
    d->username = g_strdup(s->username);
    d->realm = g_strdup(s->realm);
    d->password = g_strdup(s->password);
    return d;
}

static void
cred_free(void *r)
{
    credential_t *c = (credential_t *)r;
    g_free(c->username);
    g_free(c->realm);
    g_free(c->password);
}

static void
derive_keys(void)
{
    unsigned i;

    for (i = 0; i < n_keys; i++)
        g_free(keys[i].key);
    g_free(keys);
    keys = g_new0(derived_key, n_credentials ? n_credentials : 1);
    n_keys = 0;
    for (i = 0; i < n_credentials; i++) {
        const credential_t *c = &credentials[i];
        derived_key *k = &keys[n_keys];
        if (c->password == NULL)
            continue;
        k->cred = c;
        if (c->realm && c->realm[0]) {
            char *s = g_strdup_printf("%s:%s:%s", c->username ? c->username : "",
                                      c->realm, c->password);
            k->key = (uint8_t *)g_malloc(16);
            gcry_md_hash_buffer(GCRY_MD_MD5, k->key, s, strlen(s));
            k->len = 16;
            n_keys++;
            g_free(s);
        } else {
            k->len = strlen(c->password);
            k->key = (uint8_t *)g_memdup2(c->password, k->len ? k->len : 1);
            n_keys++;
        }
    }
}

static void
cred_post_update(void)
{
    derive_keys();
}

void
msturn_hmac_register(module_t *module)
{
    static uat_field_t fields[] = {
        UAT_FLD_CSTRING(msturn_cred, username, "Username",
                        "USERNAME (long-term) or ICE username fragment (short-term)"),
        UAT_FLD_CSTRING(msturn_cred, realm, "Realm",
                        "REALM for long-term credentials; empty for short-term ICE credentials"),
        UAT_FLD_CSTRING(msturn_cred, password, "Password", "The password"),
        UAT_END_FIELDS
    };
    uat_t *u = uat_new("MSTURN credentials", sizeof(credential_t), "msturn_credentials",
                       true, &credentials, &n_credentials, UAT_AFFECTS_DISSECTION,
                       NULL, cred_copy, NULL, cred_free, cred_post_update, NULL, fields);
    prefs_register_uat_preference(module, "credentials", "Credentials",
        "Long-term TURN and short-term ICE credentials used to verify MESSAGE-INTEGRITY", u);
}

/* Whether credential c may have signed a message naming username/realm. */
static int
applies(const credential_t *c, const char *username, const char *realm)
{
    const char *user = c->username ? c->username : "";
    size_t n = strlen(user);

    if (c->realm && c->realm[0])        /* long-term */
        return strcmp(user, username) == 0 && (realm == NULL || strcmp(c->realm, realm) == 0);
    return strncmp(user, username, n) == 0 && (username[n] == ':' || username[n] == '\0');
}

/* What the HMAC covers, in pinfo->pool; *len gets its length.
 * RFC 8489 14.5/14.6: the message up to the attribute, with the header
 * length adjusted to end just after the integrity attribute.
 * RFC 3489 11.2.8: the message as sent up to the attribute (MESSAGE-INTEGRITY
 * is its last attribute, so the length already ends there), padded with
 * zeros to a multiple of 64 bytes.  NULL when the message is cut short;
 * got: the HMAC as sent. */
static uint8_t *
covered_text(tvbuff_t *msg, packet_info *pinfo, int attr_off, int mac_len,
             const msturn_msg_info *info, size_t *len, uint8_t *got)
{
    uint8_t *buf;

    if (tvb_captured_length(msg) < (unsigned)(attr_off + 4 + mac_len))
        return NULL;
    tvb_memcpy(msg, got, attr_off + 4, mac_len);
    if (info->flavor == MSTURN_FLAVOR_CLASSIC) {
        size_t padded = ((size_t)attr_off + 63) / 64 * 64;
        buf = (uint8_t *)wmem_alloc0(pinfo->pool, padded);
        tvb_memcpy(msg, buf, 0, attr_off);
        *len = padded;
        return buf;
    }
    buf = (uint8_t *)tvb_memdup(pinfo->pool, msg, 0, attr_off);
    buf[2] = (uint8_t)((attr_off + 4 + mac_len - MSTURN_HEADER_LEN) >> 8);
    buf[3] = (uint8_t)((attr_off + 4 + mac_len - MSTURN_HEADER_LEN) & 0xff);
    *len = (size_t)attr_off;
    return buf;
}

/* The HMAC as sent, or a prefix of it (RFC 8489 14.6: MESSAGE-INTEGRITY-
 * SHA256 may be truncated to as little as 16 bytes). */
static int
matches(const uint8_t *buf, size_t covered, int algo, const uint8_t *key, size_t key_len,
        int mac_len, const uint8_t *got)
{
    uint8_t want[32];

    return ws_hmac_buffer(algo, want, buf, covered, key, key_len) == 0 &&
           memcmp(want, got, (size_t)mac_len) == 0;
}

int
msturn_hmac_check(tvbuff_t *msg, packet_info *pinfo, int attr_off, int mac_len, int sha256,
                  const msturn_msg_info *info)
{
    uint8_t *buf;
    size_t covered;
    uint8_t got[32];
    unsigned i, tried = 0;
    int algo = sha256 ? GCRY_MD_SHA256 : GCRY_MD_SHA1;

    if (n_keys == 0 || mac_len <= 0 || mac_len > (sha256 ? 32 : 20))
        return PROTO_CHECKSUM_E_UNVERIFIED;
    if ((buf = covered_text(msg, pinfo, attr_off, mac_len, info, &covered, got)) == NULL)
        return PROTO_CHECKSUM_E_UNVERIFIED;
    for (i = 0; i < n_keys; i++) {
        if (info->username && !applies(keys[i].cred, info->username, info->realm))
            continue;
        tried++;
        if (matches(buf, covered, algo, keys[i].key, keys[i].len, mac_len, got))
            return PROTO_CHECKSUM_E_GOOD;
    }
    return info->username && tried ? PROTO_CHECKSUM_E_BAD : PROTO_CHECKSUM_E_UNVERIFIED;
}

typedef struct {
    const uint8_t *buf;
    size_t covered;
    int algo, mac_len;
    const uint8_t *got;
} sdp_try;

static int
try_password(const msturn_ice_password *p, void *data)
{
    const sdp_try *t = (const sdp_try *)data;
    return matches(t->buf, t->covered, t->algo, (const uint8_t *)p->password, strlen(p->password),
                   t->mac_len, t->got);
}

/* Short-term credentials (RFC 8489 9.1): the key is the password itself. */
int
msturn_hmac_check_sdp(tvbuff_t *msg, packet_info *pinfo, int attr_off, int mac_len, int sha256,
                      const msturn_msg_info *info, msturn_ice_password *used)
{
    uint8_t got[32];
    sdp_try t;
    const char *colon;
    char *ufrag;

    if (mac_len <= 0 || mac_len > (sha256 ? 32 : 20) ||
        (t.buf = covered_text(msg, pinfo, attr_off, mac_len, info, &t.covered, got)) == NULL)
        return PROTO_CHECKSUM_E_UNVERIFIED;
    t.algo = sha256 ? GCRY_MD_SHA256 : GCRY_MD_SHA1;
    t.mac_len = mac_len;
    t.got = got;
    if (info->username == NULL || info->realm != NULL)    /* a response, or long-term */
        return info->username == NULL && msturn_dialog_each_password(try_password, &t)
                   ? PROTO_CHECKSUM_E_GOOD : PROTO_CHECKSUM_E_UNVERIFIED;
    /* RFC 8445 7.2.2: signed with the password of the receiver, whose
     * username fragment comes first */
    colon = strchr(info->username, ':');
    ufrag = wmem_strndup(pinfo->pool, info->username,
                         colon ? (size_t)(colon - info->username) : strlen(info->username));
    if (!msturn_dialog_password(ufrag, used))
        return PROTO_CHECKSUM_E_UNVERIFIED;
    return try_password(used, &t) ? PROTO_CHECKSUM_E_GOOD : PROTO_CHECKSUM_E_BAD;
}
