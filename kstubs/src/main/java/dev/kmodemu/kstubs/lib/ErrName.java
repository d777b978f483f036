package dev.kmodemu.kstubs.lib;

/**
 * The symbolic errno names {@code %pe} prints: the {@code names_0} and {@code names_512} tables of
 * lib/errname.c in Linux 6.1 (CONFIG_SYMBOLIC_ERRNAME=y), with the x86-64 errno values
 * (asm-generic numbers; {@code EDEADLOCK} equals {@code EDEADLK} there, so it is not listed apart).
 */
final class ErrName {
    /** {@code names_0}: indexed by errno, up to {@code EHWPOISON} (133). */
    private static final String[] NAMES_0 = new String[134];
    /** {@code names_512}: the kernel-internal errnos 512..530. */
    private static final String[] NAMES_512 = new String[19];

    private ErrName() {
    }

    private static void def(int err, String name) {
        if (err >= 512) {
            NAMES_512[err - 512] = "-" + name;
        } else {
            NAMES_0[err] = "-" + name;
        }
    }

    static {
        def(1, "EPERM");
        def(2, "ENOENT");
        def(3, "ESRCH");
        def(4, "EINTR");
        def(5, "EIO");
        def(6, "ENXIO");
        def(7, "E2BIG");
        def(8, "ENOEXEC");
        def(9, "EBADF");
        def(10, "ECHILD");
        def(11, "EAGAIN");
        def(12, "ENOMEM");
        def(13, "EACCES");
        def(14, "EFAULT");
        def(15, "ENOTBLK");
        def(16, "EBUSY");
        def(17, "EEXIST");
        def(18, "EXDEV");
        def(19, "ENODEV");
        def(20, "ENOTDIR");
        def(21, "EISDIR");
        def(22, "EINVAL");
        def(23, "ENFILE");
        def(24, "EMFILE");
        def(25, "ENOTTY");
        def(26, "ETXTBSY");
        def(27, "EFBIG");
        def(28, "ENOSPC");
        def(29, "ESPIPE");
        def(30, "EROFS");
        def(31, "EMLINK");
        def(32, "EPIPE");
        def(33, "EDOM");
        def(34, "ERANGE");
        def(35, "EDEADLK");
        def(36, "ENAMETOOLONG");
        def(37, "ENOLCK");
        def(38, "ENOSYS");
        def(39, "ENOTEMPTY");
        def(40, "ELOOP");
        def(42, "ENOMSG");
        def(43, "EIDRM");
        def(44, "ECHRNG");
        def(45, "EL2NSYNC");
        def(46, "EL3HLT");
        def(47, "EL3RST");
        def(48, "ELNRNG");
        def(49, "EUNATCH");
        def(50, "ENOCSI");
        def(51, "EL2HLT");
        def(52, "EBADE");
        def(53, "EBADR");
        def(54, "EXFULL");
        def(55, "ENOANO");
        def(56, "EBADRQC");
        def(57, "EBADSLT");
        def(59, "EBFONT");
        def(60, "ENOSTR");
        def(61, "ENODATA");
        def(62, "ETIME");
        def(63, "ENOSR");
        def(64, "ENONET");
        def(65, "ENOPKG");
        def(66, "EREMOTE");
        def(67, "ENOLINK");
        def(68, "EADV");
        def(69, "ESRMNT");
        def(70, "ECOMM");
        def(71, "EPROTO");
        def(72, "EMULTIHOP");
        def(73, "EDOTDOT");
        def(74, "EBADMSG");
        def(75, "EOVERFLOW");
        def(76, "ENOTUNIQ");
        def(77, "EBADFD");
        def(78, "EREMCHG");
        def(79, "ELIBACC");
        def(80, "ELIBBAD");
        def(81, "ELIBSCN");
        def(82, "ELIBMAX");
        def(83, "ELIBEXEC");
        def(84, "EILSEQ");
        def(85, "ERESTART");
        def(86, "ESTRPIPE");
        def(87, "EUSERS");
        def(88, "ENOTSOCK");
        def(89, "EDESTADDRREQ");
        def(90, "EMSGSIZE");
        def(91, "EPROTOTYPE");
        def(92, "ENOPROTOOPT");
        def(93, "EPROTONOSUPPORT");
        def(94, "ESOCKTNOSUPPORT");
        def(95, "EOPNOTSUPP");
        def(96, "EPFNOSUPPORT");
        def(97, "EAFNOSUPPORT");
        def(98, "EADDRINUSE");
        def(99, "EADDRNOTAVAIL");
        def(100, "ENETDOWN");
        def(101, "ENETUNREACH");
        def(102, "ENETRESET");
        def(103, "ECONNABORTED");
        def(104, "ECONNRESET");
        def(105, "ENOBUFS");
        def(106, "EISCONN");
        def(107, "ENOTCONN");
        def(108, "ESHUTDOWN");
        def(109, "ETOOMANYREFS");
        def(110, "ETIMEDOUT");
        def(111, "ECONNREFUSED");
        def(112, "EHOSTDOWN");
        def(113, "EHOSTUNREACH");
        def(114, "EALREADY");
        def(115, "EINPROGRESS");
        def(116, "ESTALE");
        def(117, "EUCLEAN");
        def(118, "ENOTNAM");
        def(119, "ENAVAIL");
        def(120, "EISNAM");
        def(121, "EREMOTEIO");
        def(122, "EDQUOT");
        def(123, "ENOMEDIUM");
        def(124, "EMEDIUMTYPE");
        def(125, "ECANCELED");
        def(126, "ENOKEY");
        def(127, "EKEYEXPIRED");
        def(128, "EKEYREVOKED");
        def(129, "EKEYREJECTED");
        def(130, "EOWNERDEAD");
        def(131, "ENOTRECOVERABLE");
        def(132, "ERFKILL");
        def(133, "EHWPOISON");
        def(512, "ERESTARTSYS");
        def(513, "ERESTARTNOINTR");
        def(514, "ERESTARTNOHAND");
        def(515, "ENOIOCTLCMD");
        def(516, "ERESTART_RESTARTBLOCK");
        def(517, "EPROBE_DEFER");
        def(518, "EOPENSTALE");
        def(519, "ENOPARAM");
        def(521, "EBADHANDLE");
        def(522, "ENOTSYNC");
        def(523, "EBADCOOKIE");
        def(524, "ENOTSUPP");
        def(525, "ETOOSMALL");
        def(526, "ESERVERFAULT");
        def(527, "EBADTYPE");
        def(528, "EJUKEBOX");
        def(529, "EIOCBQUEUED");
        def(530, "ERECALLCONFLICT");
    }

    /**
     * errname() of lib/errname.c: {@code "-EIO"} for {@code -EIO}, {@code "EIO"} for {@code EIO},
     * or null when the value has no name.
     */
    static String errname(int err) {
        int abs = Math.abs(err);
        String name = null;
        if (abs >= 0 && abs < NAMES_0.length) {
            name = NAMES_0[abs];
        } else if (abs >= 512 && abs - 512 < NAMES_512.length) {
            name = NAMES_512[abs - 512];
        }
        if (name == null) {
            return null;
        }
        return err > 0 ? name.substring(1) : name;
    }
}
