package bootstrap

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/mvm-dev/mvm/internal/log"
)

// progressInterval is how often a step's byte progress is refreshed.
const progressInterval = 500 * time.Millisecond

// progress shows done against total on s until the returned function is
// called.
func progress(s *log.Step, done *atomic.Int64, total int64) (stop func()) {
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(progressInterval)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				s.Update(fmt.Sprintf("%s / %s", formatSize(done.Load()), formatSize(total)))
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
}
