/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWOFILE_H
#define TWOFILE_H

int twofile_compute(int n);
void twofile_report(const char *when, int n);

#endif
