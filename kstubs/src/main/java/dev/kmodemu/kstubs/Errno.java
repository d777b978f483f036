package dev.kmodemu.kstubs;

/** Linux errno values (include/uapi/asm-generic/errno-base.h and errno.h) and their strerror texts. */
public final class Errno {
    private Errno() {
    }

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int ENOTTY = 25;
    public static final int EFBIG = 27;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ENOPKG = 65;
    public static final int EBADMSG = 74;
    public static final int EOVERFLOW = 75;
    public static final int EOPNOTSUPP = 95;
    public static final int ENOTCONN = 107;
    public static final int ENOKEY = 126;
    public static final int EKEYREJECTED = 129;
    public static final int ENOTSUPP = 524;
    public static final int ETIMEDOUT = 110;
    public static final int EREMOTEIO = 121;

    private static final String[] NAMES = new String[134];
    private static final String[] TEXTS = new String[134];

    private static void def(int n, String name, String text) {
        NAMES[n] = name;
        TEXTS[n] = text;
    }

    static {
        def(1, "EPERM", "Operation not permitted");
        def(2, "ENOENT", "No such file or directory");
        def(3, "ESRCH", "No such process");
        def(4, "EINTR", "Interrupted system call");
        def(5, "EIO", "Input/output error");
        def(6, "ENXIO", "No such device or address");
        def(7, "E2BIG", "Argument list too long");
        def(8, "ENOEXEC", "Exec format error");
        def(9, "EBADF", "Bad file descriptor");
        def(10, "ECHILD", "No child processes");
        def(11, "EAGAIN", "Resource temporarily unavailable");
        def(12, "ENOMEM", "Cannot allocate memory");
        def(13, "EACCES", "Permission denied");
        def(14, "EFAULT", "Bad address");
        def(15, "ENOTBLK", "Block device required");
        def(16, "EBUSY", "Device or resource busy");
        def(17, "EEXIST", "File exists");
        def(18, "EXDEV", "Invalid cross-device link");
        def(19, "ENODEV", "No such device");
        def(20, "ENOTDIR", "Not a directory");
        def(21, "EISDIR", "Is a directory");
        def(22, "EINVAL", "Invalid argument");
        def(23, "ENFILE", "Too many open files in system");
        def(24, "EMFILE", "Too many open files");
        def(25, "ENOTTY", "Inappropriate ioctl for device");
        def(26, "ETXTBSY", "Text file busy");
        def(27, "EFBIG", "File too large");
        def(28, "ENOSPC", "No space left on device");
        def(29, "ESPIPE", "Illegal seek");
        def(30, "EROFS", "Read-only file system");
        def(31, "EMLINK", "Too many links");
        def(32, "EPIPE", "Broken pipe");
        def(33, "EDOM", "Numerical argument out of domain");
        def(34, "ERANGE", "Numerical result out of range");
        def(35, "EDEADLK", "Resource deadlock avoided");
        def(36, "ENAMETOOLONG", "File name too long");
        def(37, "ENOLCK", "No locks available");
        def(38, "ENOSYS", "Function not implemented");
        def(39, "ENOTEMPTY", "Directory not empty");
        def(40, "ELOOP", "Too many levels of symbolic links");
        def(61, "ENODATA", "No data available");
        def(62, "ETIME", "Timer expired");
        def(65, "ENOPKG", "Package not installed");
        def(71, "EPROTO", "Protocol error");
        def(74, "EBADMSG", "Bad message");
        def(75, "EOVERFLOW", "Value too large for defined data type");
        def(84, "EILSEQ", "Invalid or incomplete multibyte or wide character");
        def(95, "EOPNOTSUPP", "Operation not supported");
        def(98, "EADDRINUSE", "Address already in use");
        def(105, "ENOBUFS", "No buffer space available");
        def(110, "ETIMEDOUT", "Connection timed out");
        def(114, "EALREADY", "Operation already in progress");
        def(115, "EINPROGRESS", "Operation now in progress");
        def(122, "EDQUOT", "Disk quota exceeded");
        def(125, "ECANCELED", "Operation canceled");
        def(126, "ENOKEY", "Required key not available");
        def(129, "EKEYREJECTED", "Key was rejected by service");
    }

    /** The symbolic name ("ENODEV"), or null. */
    public static String name(int errno) {
        int e = Math.abs(errno);
        return e < NAMES.length ? NAMES[e] : null;
    }

    /** glibc's {@code strerror()} text ("No such device"), "Unknown error N" if unknown. */
    public static String text(int errno) {
        int e = Math.abs(errno);
        if (e < TEXTS.length && TEXTS[e] != null) {
            return TEXTS[e];
        }
        return "Unknown error " + e;
    }
}
