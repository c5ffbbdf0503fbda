// Package log is mvm's small leveled logger for people: step lines with ✓ and
// ✗, warnings and errors, and verbose detail behind -v. It writes to stderr;
// data for scripts never goes through it.
//
// Verbosity levels: V(0) step lines and warnings, V(1) each command run and
// each API call, V(2) subprocess and daemon streams.
package log
