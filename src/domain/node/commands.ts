/** What an operator (or a saga) asks of a node. Ids come in the data; time comes with the call to decide. */

export type RegisterNode = {
  type: 'RegisterNode';
  data: {
    nodeId: string;
    /** As typed by the operator; decide validates and normalises it. */
    url: string;
    secret: string;
    tags: string[];
    loadFactor: number;
  };
};

export type EnableNode = { type: 'EnableNode'; data: { nodeId: string } };
export type CordonNode = { type: 'CordonNode'; data: { nodeId: string } };
export type DisableNode = { type: 'DisableNode'; data: { nodeId: string } };

export type NodeCommand = RegisterNode | EnableNode | CordonNode | DisableNode;
