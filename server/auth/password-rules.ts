// The password rule lives in common/ so the desk's forms check what the server checks.
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../../common/password-rules';
