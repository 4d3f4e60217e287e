/** Follows a background job (202 + GET /api/jobs/{id}) until it has finished, as the Closes page does. */
import { useEffect, useRef, useState } from 'react';
import { apiGet, isAbort, problemOf, type Problem } from '../lib/api';
import type { Job } from '../pages/types';

/** How often a running job is asked where it stands. */
const POLL_MS = 500;

export interface FollowedJob<R> {
  readonly job: Job<R> | null;
  readonly running: boolean;
  /** A problem met while asking where the job stands (the job itself may still run). */
  readonly problem: Problem | null;
  readonly follow: (started: Job<R>) => Promise<Job<R> | null>;
  readonly reset: () => void;
}

export function useFollowJob<R>(): FollowedJob<R> {
  const [job, setJob] = useState<Job<R> | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const stopped = useRef(false);
  useEffect(() => {
    stopped.current = false;
    return () => {
      stopped.current = true;
    };
  }, []);
  const follow = async (started: Job<R>): Promise<Job<R> | null> => {
    let current = started;
    setProblem(null);
    setJob(current);
    while (!stopped.current && (current.status === 'queued' || current.status === 'running')) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      try {
        current = await apiGet<Job<R>>(`/api/jobs/${encodeURIComponent(started.id)}`);
      } catch (err) {
        if (isAbort(err)) return null;
        setProblem(problemOf(err));
        return null;
      }
      if (!stopped.current) setJob(current);
    }
    return current;
  };
  const running = job !== null && (job.status === 'queued' || job.status === 'running');
  return {
    job,
    running,
    problem,
    follow,
    reset: () => {
      setJob(null);
      setProblem(null);
    },
  };
}
