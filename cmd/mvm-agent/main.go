// Command mvm-agent is PID 1 of the mvm desktop image: it runs Xvnc and the
// window manager and serves the noVNC client behind the desktop's token. It
// is configured from MVM_* environment variables; see package agent.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mvm-dev/mvm/internal/agent"
)

func main() {
	start := time.Now()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))

	cfg, err := agent.ConfigFromEnv(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mvm-agent: "+err.Error())
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	err = agent.New(cfg, log, start).Run(ctx)
	stop()
	if err != nil {
		log.Error("agent stopped", "err", err.Error())
		os.Exit(1)
	}
}
