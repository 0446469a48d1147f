import { embeddedDeployment } from './testing/deployments';
import { httpContract } from './testing/http-contract';

httpContract('embedded', embeddedDeployment);
