// Package bench measures mvm's desktop against the classic stack it replaces
// (Xvfb + x11vnc + supervisord + websockify + Openbox), both built on the
// same base and started on the same engine in the same run: time from
// container create to the first framebuffer, idle memory, and image size.
//
//	MVM_E2E=docker go test -run '^$' -bench . -benchtime 1x ./internal/bench
//
// Set MVM_BENCH_STARTS to change the number of cold starts (default 12).
package bench
