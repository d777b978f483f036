// SPDX-License-Identifier: GPL-2.0
/*
 * params - one module parameter of every standard kernel parameter type.
 * init prints every value; the sysfs files show the param_get_* side.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static unsigned char mybyte = 7;
module_param(mybyte, byte, 0644);
MODULE_PARM_DESC(mybyte, "a byte (u8)");

static short myshort = -5;
module_param(myshort, short, 0644);
MODULE_PARM_DESC(myshort, "a short");

static unsigned short myushort = 60000;
module_param(myushort, ushort, 0644);
MODULE_PARM_DESC(myushort, "an unsigned short");

static int myint = -42;
module_param(myint, int, 0644);
MODULE_PARM_DESC(myint, "an int");

/* permission 0: no sysfs file */
static unsigned int myuint = 3000000000U;
module_param(myuint, uint, 0);
MODULE_PARM_DESC(myuint, "an unsigned int (not in sysfs)");

static long mylong = -1234567890123L;
module_param(mylong, long, 0444);
MODULE_PARM_DESC(mylong, "a long");

static unsigned long myulong = 12345678901UL;
module_param(myulong, ulong, 0444);
MODULE_PARM_DESC(myulong, "an unsigned long");

static unsigned long long myullong = 1ULL << 40;
module_param(myullong, ullong, 0444);
MODULE_PARM_DESC(myullong, "an unsigned long long");

static unsigned int myhex = 0xbeef;
module_param(myhex, hexint, 0644);
MODULE_PARM_DESC(myhex, "a hexint");

static unsigned int myhex2;
module_param(myhex2, hexint, 0444);
MODULE_PARM_DESC(myhex2, "another hexint (default 0)");

static char *name = "default-name";
module_param(name, charp, 0644);
MODULE_PARM_DESC(name, "a charp");

static bool mybool;
module_param(mybool, bool, 0644);
MODULE_PARM_DESC(mybool, "a bool");

static bool myinv = true;
module_param(myinv, invbool, 0444);
MODULE_PARM_DESC(myinv, "an invbool (shows N when the variable is true)");

static int intarr[4] = { 10, 20, 30, 40 };
static int intarr_n = 2;
module_param_array(intarr, int, &intarr_n, 0644);
MODULE_PARM_DESC(intarr, "int array, up to 4 elements (with a count)");

static unsigned short usarr[3] = { 1, 2, 3 };
module_param_array(usarr, ushort, NULL, 0444);
MODULE_PARM_DESC(usarr, "ushort array, 3 elements (no count)");

static char *strarr[3] = { "a", "b", "c" };
static int strarr_n;
module_param_array(strarr, charp, &strarr_n, 0444);
MODULE_PARM_DESC(strarr, "charp array, up to 3 elements");

static char str[16] = "init-str";
module_param_string(str, str, sizeof(str), 0644);
MODULE_PARM_DESC(str, "a string copied into char[16]");

static bool my_flag;
module_param(my_flag, bool, 0644);
MODULE_PARM_DESC(my_flag, "a bool with an underscore in its name");

static int internal_value = 5;
module_param_named(alias, internal_value, int, 0600);
MODULE_PARM_DESC(alias, "an int exported under another name");

static int __init params_init(void)
{
	pr_info("params: mybyte=%u myshort=%hd myushort=%hu myint=%d myuint=%u\n",
		mybyte, myshort, myushort, myint, myuint);
	pr_info("params: mylong=%ld myulong=%lu myullong=%llu\n",
		mylong, myulong, myullong);
	pr_info("params: myhex=0x%x (%u) myhex2=0x%x (%u)\n",
		myhex, myhex, myhex2, myhex2);
	pr_info("params: name=[%s] mybool=%d myinv=%d my_flag=%d alias=%d\n",
		name, mybool, myinv, my_flag, internal_value);
	pr_info("params: intarr_n=%d intarr=%d,%d,%d,%d\n",
		intarr_n, intarr[0], intarr[1], intarr[2], intarr[3]);
	pr_info("params: usarr=%hu,%hu,%hu\n", usarr[0], usarr[1], usarr[2]);
	pr_info("params: strarr_n=%d strarr=[%s],[%s],[%s]\n",
		strarr_n, strarr[0], strarr[1], strarr[2]);
	pr_info("params: str=[%s] strlen=%zu\n", str, strlen(str));
	return 0;
}

static void __exit params_exit(void)
{
	pr_info("params: exit name=[%s] str=[%s]\n", name, str);
}

module_init(params_init);
module_exit(params_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Every kernel module parameter type");
