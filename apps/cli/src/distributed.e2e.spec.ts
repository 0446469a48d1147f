import { distributedDeployment } from './testing/deployments';
import { httpContract } from './testing/http-contract';

httpContract('distributed', () => distributedDeployment());
