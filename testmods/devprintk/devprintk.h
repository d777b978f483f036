/* SPDX-License-Identifier: GPL-2.0 */
struct device;
void devprintk_debug_lines(struct device *dev);
