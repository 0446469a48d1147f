/** Whether something accepts connections on a port (reachable.js). */
export declare const reachable: (port: number, host?: string, timeoutMs?: number) => Promise<boolean>;
