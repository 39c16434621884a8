export declare const RELAY_MAX_OLD_SPACE_MB: number;
export declare const RELAY_NODE_ARGS: string[];
