//go:build darwin || ios || freebsd || netbsd

package config

import "syscall"

// changeTime is st's change time in nanoseconds.
func changeTime(st *syscall.Stat_t) int64 { return st.Ctimespec.Nano() }
