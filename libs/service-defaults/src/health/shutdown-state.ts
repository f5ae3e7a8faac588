import { Injectable } from '@nestjs/common';

/** Set when the process has begun to shut down, so readiness fails and balancers move away. */
@Injectable()
export class ShutdownState {
  private drainingSince: Date | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  beginDraining(): void {
    this.drainingSince ??= new Date();
  }
}
