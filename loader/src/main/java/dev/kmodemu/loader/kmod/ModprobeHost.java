package dev.kmodemu.loader.kmod;

import java.util.List;

/**
 * What modprobe asks the running system: module state from {@code /sys/module} and the system calls
 * it makes. The module subsystem implements it over its kernel; {@link #nothingLoaded()} is a system
 * where no module is loaded and every operation succeeds, for dry runs and tests.
 */
public interface ModprobeHost {
    /**
     * {@code /sys/module/NAME/initstate} without its newline ({@code live}, {@code coming},
     * {@code going}); the empty string when {@code /sys/module/NAME} exists without it; null when
     * the module is not loaded.
     */
    String initstate(String name);

    /** {@code /sys/module/NAME/refcnt}, or a negative errno if there is none. */
    int refcnt(String name);

    /** The names in {@code /sys/module/NAME/holders}. */
    List<String> holders(String name);

    /**
     * {@code finit_module()}/{@code init_module()} of a module file.
     *
     * @param forceVermagic, forceModversion kmod's {@code --force-vermagic}/{@code --force-modversion}
     * @return 0, or the negative errno the kernel returned
     */
    int initModule(String path, String options, boolean forceVermagic, boolean forceModversion);

    /** {@code delete_module(name, O_NONBLOCK | (force ? O_TRUNC : 0))}: 0 or a negative errno. */
    int deleteModule(String name, boolean force);

    /**
     * {@code system(command)} with {@code MODPROBE_MODULE=modname} set: the exit status, or -1 if
     * the command could not be run.
     */
    int system(String command, String modname);

    /** No module loaded; inserting, removing and commands succeed without effect. */
    static ModprobeHost nothingLoaded() {
        return new NothingLoaded();
    }

    /** A system where no module is loaded and every operation succeeds; override what a test watches. */
    class NothingLoaded implements ModprobeHost {
        @Override
        public String initstate(String name) {
            return null;
        }

        @Override
        public int refcnt(String name) {
            return -KmodStrings.ENOENT;
        }

        @Override
        public List<String> holders(String name) {
            return List.of();
        }

        @Override
        public int initModule(String path, String options, boolean forceVermagic, boolean forceModversion) {
            return 0;
        }

        @Override
        public int deleteModule(String name, boolean force) {
            return 0;
        }

        @Override
        public int system(String command, String modname) {
            return 0;
        }
    }
}
