// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests that fail: an "md5" whose digest is wrong (testmgr runs md5's vectors against it and
 * refuses it: it stays registered, untested, and lookups by its driver name fail with -ELIBBAD)
 * and a "sha1" whose update fails. /proc/crypto shows both as "selftest : unknown".
 */
#include <linux/module.h>
#include <linux/init.h>
#include <crypto/hash.h>
#include <crypto/internal/hash.h>

static int bad_init(struct shash_desc *desc)
{
	memset(shash_desc_ctx(desc), 0, 16);
	return 0;
}

static int bad_update(struct shash_desc *desc, const u8 *data, unsigned int len)
{
	u8 *s = shash_desc_ctx(desc);

	while (len--)
		s[len % 16] ^= data[len];
	return 0;
}

static int failing_update(struct shash_desc *desc, const u8 *data, unsigned int len)
{
	return -EIO;
}

static int bad_final(struct shash_desc *desc, u8 *out)
{
	memcpy(out, shash_desc_ctx(desc), 16);
	return 0;
}

static struct shash_alg bad_md5 = {
	.digestsize = 16,
	.init = bad_init,
	.update = bad_update,
	.final = bad_final,
	.descsize = 16,
	.base = {
		.cra_name = "md5",
		.cra_driver_name = "md5-cryptobad",
		.cra_priority = 300,
		.cra_blocksize = 64,
		.cra_module = THIS_MODULE,
	},
};

static struct shash_alg bad_sha1 = {
	.digestsize = 20,
	.init = bad_init,
	.update = failing_update,
	.final = bad_final,
	.descsize = 16,
	.base = {
		.cra_name = "sha1",
		.cra_driver_name = "sha1-cryptobad",
		.cra_priority = 300,
		.cra_blocksize = 64,
		.cra_module = THIS_MODULE,
	},
};

static int __init cryptobad_init(void)
{
	struct crypto_shash *tfm;

	pr_info("cryptobad: register md5: %d\n", crypto_register_shash(&bad_md5));
	pr_info("cryptobad: register sha1: %d\n", crypto_register_shash(&bad_sha1));
	tfm = crypto_alloc_shash("md5-cryptobad", 0, 0);
	pr_info("cryptobad: md5-cryptobad: %ld\n", PTR_ERR_OR_ZERO(tfm));
	tfm = crypto_alloc_shash("md5", 0, 0);
	pr_info("cryptobad: md5 is %s\n", IS_ERR(tfm) ? "missing" : crypto_shash_driver_name(tfm));
	if (!IS_ERR(tfm))
		crypto_free_shash(tfm);
	return 0;
}

static void __exit cryptobad_exit(void)
{
	crypto_unregister_shash(&bad_sha1);
	crypto_unregister_shash(&bad_md5);
}

module_init(cryptobad_init);
module_exit(cryptobad_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmodemu test: crypto self-tests that fail");
